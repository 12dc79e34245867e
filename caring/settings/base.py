"""Settings every environment shares."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from caring.settings.env import env_bool, env_int, env_list

# The repository's root when installed with ``pip install -e .``; ``CARING_HOME`` overrides it.
BASE_DIR = Path(os.environ.get("CARING_HOME", Path(__file__).resolve().parents[2]))
VAR_DIR = Path(os.environ.get("CARING_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "caring.accounts",
    "caring.plans",
    "caring.governance",
    "caring.reports",
    "caring.indicators",
    "caring.carers",
    "caring.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "caring.web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "caring.urls"
WSGI_APPLICATION = "caring.wsgi.application"

TEMPLATES = [
    {
        # Our pages: Jinja2 with the official GOV.UK Frontend macros (govuk-frontend-jinja).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "caring.web.jinja2.environment", "autoescape": True},
    },
    {
        # Django's admin (administrators only).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env(default_sqlite: Path) -> dict:
    """``DATABASE_URL`` selects the database; without it, a SQLite file under ``var/``."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{default_sqlite}"
    config = dj_database_url.parse(url, conn_max_age=env_int("CONN_MAX_AGE", 0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Wait for a writer rather than fail at once; WAL keeps readers unblocked.
        config.setdefault("OPTIONS", {}).update(
            {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
        )
    return config


DATABASES = {"default": database_from_env(VAR_DIR / "caring.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:sign-in"

# --- Caring Together's own settings -------------------------------------------------------
CARING_SERVICE_NAME = os.environ.get("CARING_SERVICE_NAME", "Caring Together")
CARING_COUNCIL_NAME = os.environ.get("CARING_COUNCIL_NAME", "Rotherham Council (demo)")
_VERSION_FILE = Path(__file__).resolve().parents[1] / "web" / "static" / "caring" / "VERSION"
CARING_GOVUK_FRONTEND_VERSION = (
    _VERSION_FILE.read_text().strip() if _VERSION_FILE.exists() else "missing"
)
# Repeated failed sign-ins: this many failures for one username from one address within the
# window locks that pair out until the window has passed.
CARING_SIGN_IN_ATTEMPTS = env_int("CARING_SIGN_IN_ATTEMPTS", 5)
CARING_SIGN_IN_WINDOW_SECONDS = env_int("CARING_SIGN_IN_WINDOW_SECONDS", 15 * 60)
# Evidence files: the largest accepted, and the file types accepted (by extension).
CARING_EVIDENCE_MAX_BYTES = env_int("CARING_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
CARING_EVIDENCE_EXTENSIONS = env_list(
    "CARING_EVIDENCE_EXTENSIONS",
    ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt", "png", "jpg", "jpeg"],
)
# RAG rules: an action due within this many days with no progress is suggested amber;
# an open action with no update for this many days is flagged stale.
CARING_AMBER_WINDOW_DAYS = env_int("CARING_AMBER_WINDOW_DAYS", 30)
CARING_STALE_AFTER_DAYS = env_int("CARING_STALE_AFTER_DAYS", 90)
# Carers' records: the key their identifiers are hashed with (never stored with the data; in
# production it must be set in the environment, at least 32 characters, and kept with the
# council's other secrets: without it nothing can be matched with later imports), and the
# largest extract accepted (a command or an upload).
CARING_PSEUDONYM_KEY = os.environ.get("CARING_PSEUDONYM_KEY", "")
CARING_CARERS_MAX_BYTES = env_int("CARING_CARERS_MAX_BYTES", 250 * 1024 * 1024)
