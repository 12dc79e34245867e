"""Tests: fast hashing, media in a temporary folder, the database from ``DATABASE_URL``."""

import tempfile
from pathlib import Path

from caring.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="caring-test-media-"))

# A name of our own, so a test run never meets another project's "test_postgres".
DATABASES["default"].setdefault("TEST", {})["NAME"] = (  # noqa: F405
    None if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "test_caring"  # noqa: F405
)
