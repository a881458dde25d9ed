import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(env_overrides: dict[str, str], code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "iness.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_django({"DEBUG": "false"}, "print('started')")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_production_settings_start_with_a_secret_key():
    result = run_django(
        {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "iness.example.org"},
        "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
    )

    assert result.returncode == 0, result.stderr
    assert "False ['iness.example.org']" in result.stdout


def test_without_any_environment_debug_is_off_and_a_secret_key_is_required():
    result = run_django({}, "print('started')")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "For development, set DEBUG=true" in result.stderr
    assert "started" not in result.stdout


def test_development_settings_need_only_debug_on():
    result = run_django(
        {"DEBUG": "true"},
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])",
    )

    assert result.returncode == 0, result.stderr
    assert "True django.db.backends.sqlite3" in result.stdout


def test_a_bare_pytest_runs_the_tests_in_development_mode():
    # tests/settings.py, named in pyproject.toml: no variable to set before `pytest`.
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", f"{__file__}::{NAME}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


NAME = "test_settings_seen_by_the_tests_are_the_development_ones"


def test_settings_seen_by_the_tests_are_the_development_ones(settings):
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "tests.settings"
    assert settings.SECRET_KEY and not getattr(settings, "SECURE_SSL_REDIRECT", False)
