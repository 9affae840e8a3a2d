"""Production: everything secure by default. `manage.py check --deploy` is clean with these."""

from schakel.settings.base import *  # noqa: F403 - settings modules extend the base by design
from schakel.settings.env import env_bool, env_int, env_str

SCHAKEL_ENVIRONMENT = "production"
DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")  # no default in production
SCHAKEL_REQUIRE_2FA = env_bool("REQUIRE_2FA", True)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static files are served by the app itself (no CDN), compressed and with hashed names.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
