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


def test_development_settings_need_no_environment():
    result = run_django(
        {}, "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    )

    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout
