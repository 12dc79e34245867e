"""Development: debug on, a fixed insecure key unless one is given."""

from caring.settings.base import *  # noqa: F403
from caring.settings.base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
