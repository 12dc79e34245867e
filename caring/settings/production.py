"""Production: secrets from the environment, refuses to start without them."""

from django.core.exceptions import ImproperlyConfigured

from caring.settings.base import *  # noqa: F403
from caring.settings.base import env_bool, env_int

DEBUG = env_bool("DEBUG", False)
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
if len(CARING_PSEUDONYM_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "CARING_PSEUDONYM_KEY must be set in the environment in production (at least 32 "
        "characters): carers' identifiers are hashed with it."
    )

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions end after a working day, or when the browser closes; cookies stay on this site.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
