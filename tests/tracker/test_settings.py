"""Settings: typed env helpers reject bad values; production settings pass check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from tracker.settings import database_from_url, env_bool, env_int, sqlite_database


def test_env_bool_accepts_true_false_and_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        env_bool("X_FLAG", False)


def test_env_int_rejects_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="must be an integer"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("X_NUM", 1)


def test_database_url_becomes_a_postgres_entry_and_bad_urls_fail():
    db = database_from_url("postgres://u:p%40ss@db.example:6543/rampup")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "rampup",
        "u",
        "p@ss",
        "db.example",
        "6543",
    )
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        database_from_url("mysql://u@h/db")
    with pytest.raises(ImproperlyConfigured, match="name a database"):
        database_from_url("postgres://u@h/")


def test_sqlite_uses_wal_and_immediate_transactions():
    options = sqlite_database(Path("x.sqlite3"))["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a "deployment".
    drop = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-Qz8#v!p2@LmN4$rT7&wX1^yB6*uE3(oI9)",
    "ALLOWED_HOSTS": "rampup.example.com",
}


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = _manage("diffsettings", "--all", **PRODUCTION).stdout
    assert "SESSION_COOKIE_NAME = '__Host-sessionid'" in shown
    assert "CSRF_COOKIE_NAME = '__Host-csrftoken'" in shown
    assert "Argon2PasswordHasher" in shown.split("PASSWORD_HASHERS")[1].split("\n")[0]


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="x.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_debug_value_fails_loudly():
    result = _manage("check", DEBUG="sometimes")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_models_and_migrations_agree():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
