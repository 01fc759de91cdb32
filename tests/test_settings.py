"""Settings come from the environment, with safe defaults; production refuses to start unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

PLANWATCH = Path(sys.executable).with_name("planwatch")


def _env(**overrides):
    # settings_test.py exported its own relaxations into this process: drop them.
    dropped = {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(overrides)
    return env


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [str(PLANWATCH), "check"], env=_env(DEBUG="0"), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _env(
        DEBUG="0",
        SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-for-this-test-" + "y" * 20,
        ALLOWED_HOSTS="planwatch.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    result = subprocess.run(
        [str(PLANWATCH), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_bad_boolean_in_environment_is_an_error():
    result = subprocess.run(
        [str(PLANWATCH), "check"], env=_env(DEBUG="perhaps"), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_default_database_is_a_sqlite_file_under_var(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    env = _env(DEBUG="1", PLANWATCH_VAR_DIR=str(tmp_path / "var"))
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            f"'planwatch.settings'; django.setup(); {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "var" / "planwatch.sqlite3")


def test_locale_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert ("en", "English") in settings.LANGUAGES
    assert settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.django_db
def test_suite_runs_on_the_database_ci_asked_for():
    # .ci/run sets PLANWATCH_EXPECT_DB, so a PostgreSQL run that silently fell back to
    # SQLite fails here instead of passing for the wrong reason.
    expected = os.environ.get("PLANWATCH_EXPECT_DB")
    if expected is None:
        expected = (
            "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
        )
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
