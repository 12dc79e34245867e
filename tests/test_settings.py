"""Settings come from the environment; production refuses to start without its secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from caring.settings.base import database_from_env
from caring.settings.env import env_bool, env_int, env_list


def test_database_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://caring:pw@db.example:5433/plans")
    config = database_from_env(Path("/unused/caring.sqlite3"))
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 5433, "plans")


def test_without_database_url_sqlite_lives_under_var(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(tmp_path / "var" / "caring.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "var" / "caring.sqlite3")
    assert (tmp_path / "var").is_dir()


def test_env_readers_refuse_nonsense(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="N must be a whole number"):
        env_int("N", 1)
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example ,")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def _caring(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "caring", *args],
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if v is not None},
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "caring.settings.production", "SECRET_KEY": None}
    result = _caring("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caring.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CARING_PSEUDONYM_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "carers.council.example",
        "DEBUG": None,
    }
    result = _caring("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_pseudonymisation_key():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caring.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "carers.council.example",
        "CARING_PSEUDONYM_KEY": "too short",
    }
    result = _caring("check", env=env)
    assert result.returncode != 0
    assert "CARING_PSEUDONYM_KEY must be set" in result.stderr
