"""Response headers: always in development and tests, and with production settings."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_refuse_framing_sniffing_and_full_referrers(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_error_pages_carry_the_same_headers(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_pages_need_no_inline_script_or_style(client, event):
    for url in ["/", "/lien-perdu/", "/confidentialite/", "/admin/login/"]:
        page = client.get(url).content.decode()

        assert "<script>" not in page and "<style" not in page and " style=" not in page, url
        assert "onclick=" not in page and "javascript:" not in page, url


# With production settings, in a separate process (settings are read once per process).


def production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="production-like-secret-" + "k3y" * 20,
        ALLOWED_HOSTS="iness.example.org",
        CSRF_TRUSTED_ORIGINS="https://iness.example.org",
        DJANGO_SETTINGS_MODULE="iness.settings",
        # The legal notice's facts (iness.legal): without them check --deploy warns.
        LEGAL_PUBLISHER_ADDRESS="1 rue de l'Exemple, 75000 Paris",
        LEGAL_HOST_NAME="Example host",
        LEGAL_HOST_ADDRESS="2 avenue de l'Exemple, 69000 Lyon",
        LEGAL_HOST_PHONE="+33 4 00 00 00 00",
        **extra,
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_deploy_check_passes_with_production_settings():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
out = {}
for name, url, secure in [
    ("plain", "/lien-perdu/", False),
    ("page", "/lien-perdu/", True),
    ("missing", "/no-such-page/", True),
]:
    response = client.get(url, secure=secure, HTTP_HOST="iness.example.org")
    out[name] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {k: dict(v) for k, v in response.cookies.items()},
        "body": response.content.decode(),
    }
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("static")
    env = production_env(
        STATIC_ROOT=str(static_root),
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('db') / 'db.sqlite3'}",
    )
    collected = run([sys.executable, "manage.py", "collectstatic", "--noinput"], env)
    assert collected.returncode == 0, collected.stderr
    probe = run([sys.executable, "-c", PROBE], env)
    assert probe.returncode == 0, probe.stderr
    return json.loads(probe.stdout.strip().splitlines()[-1])


def test_production_redirects_http_to_https(production_responses):
    plain = production_responses["plain"]

    assert plain["status"] == 301
    assert plain["headers"]["Location"] == "https://iness.example.org/lien-perdu/"


def test_production_pages_send_hsts_and_the_security_headers(production_responses):
    headers = production_responses["page"]["headers"]

    assert production_responses["page"]["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_production_cookies_are_secure(production_responses):
    csrf = production_responses["page"]["cookies"]["csrftoken"]

    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_production_pages_use_the_collected_hashed_static_files(production_responses):
    body = production_responses["page"]["body"]

    assert "/static/css/site." in body and "/static/css/site.css" not in body


def test_production_error_page_is_the_friendly_one(production_responses):
    missing = production_responses["missing"]

    assert missing["status"] == 404
    assert "Traceback" not in missing["body"]
    assert 'class="site-name' in missing["body"]


def test_migrate_creates_the_rate_limit_counters_table(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    result = run([sys.executable, "manage.py", "migrate", "--noinput"], env)

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "iness_cache" in tables
