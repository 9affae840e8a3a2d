"""Settings shared by every environment. Values that differ per deployment come from the
environment (see .env.example and the README); development.py and production.py add the rest."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from schakel.settings.env import env_bool, env_int, env_list, env_str

# Lets the classes django-stubs makes generic be subscripted at run time too (ModelAdmin[CareZone]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# "development" or "production"; the demo loader refuses to run in production.
SCHAKEL_ENVIRONMENT = "development"

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first, so their templates (e.g. registration/*) win over contrib's.
    "core",
    "accounts",
    "people",
    "access",
    "teams",
    "audit",
    "privacy",
    "notifications",
    "plans",
    "meetings",
    "directory",
    "directory.search",
    "interop",
    "demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestIdMiddleware",
    # Outside any transaction around the view: commits audit rows deferred from inside one.
    "audit.middleware.IndependentAuditMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.NoStoreMiddleware",
    # A refusal of the gate answered 403 shows why (access.gate.Refused; a 404 is Django's own).
    "access.middleware.RefusalMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "schakel.urls"
WSGI_APPLICATION = "schakel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
                "access.context_processors.access_flags",
            ],
        },
    }
]

# With no DATABASE_URL the embedded SQLite database is used (see core/db.py for its tuning).
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "var" / "schakel.sqlite3")),
            "OPTIONS": {
                # Concurrent use: writers take the lock at BEGIN (no upgrade deadlocks),
                # readers never block writers (WAL), and a busy writer is waited for.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
            # schakel/settings/test.py replaces this: in memory, or a file for the `locking` tests.
            "TEST": {"NAME": str(BASE_DIR / "var" / "test.sqlite3")},
        }
    }

# One cache shared by every server process and the worker, so that rate limits count globally
# (a per-process cache makes a limit as many times looser as there are processes). The database
# cache by default (its table is made by `manage.py createcachetable`); Redis when CACHE_URL names one.
CACHE_URL = env_str("CACHE_URL", "")
CACHES: dict[str, dict[str, object]]
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// address.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    # Django's default MAX_ENTRIES (300) culls a third of the rows, live rate-limit counters
    # included, once 300 keys exist: limits would reset under exactly the load they are for.
    # 50,000 is far above the live keys (docs/decisions.md) and keeps the COUNT(*) that Django's
    # database cache runs on every add cheap.
    CACHES = {
        "default": {
            "BACKEND": "schakel.cache.DatabaseCache",
            "LOCATION": "schakel_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

# How many reverse proxies in front of Schakel each append the address they were reached from to
# X-Forwarded-For. 0 (the default): the header is whatever the client sent and is ignored, the
# client is REMOTE_ADDR. With N, the client is the N-th address from the right of the header;
# anything further left was written by the client. Rate limits key on this address (hashed).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
NINJA_NUM_PROXIES = TRUSTED_PROXIES  # django-ninja's own reading of the header, kept in step

# Background work (the social-map import, every e-mail) runs in one worker, `manage.py db_worker`,
# which takes tasks from the database (django-tasks, the backport of Django 6's django.tasks).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "imports"],
    }
}

# The care plan is looked at again at least this often (PLAN-03): a plan whose last review (or,
# never reviewed, whose first record) is older is overdue, and the daily `manage.py
# remind_plan_reviews` tells its care coordinator once.
PLAN_REVIEW_INTERVAL_DAYS = 90

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Idle sessions expire: activity renews the expiry (accounts.middleware.IdleSessionMiddleware,
# at most once a minute, so a page view does not cost a session write), so only idleness ends
# a session.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_RENEW_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock out a username *from one address* after repeated failures, for a cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Second factor (TOTP) for professionals; production.py turns it on. The demo keeps it off
# so that a newcomer can log in with the printed demo accounts (README, "Demo logins").
SCHAKEL_REQUIRE_2FA = env_bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Schakel"

# The language of pages before a visitor or user chooses one (and of command output).
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "nl")
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Schakel <no-reply@schakel.invalid>")

# Content Security Policy: only this site; no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Access and audit (docs/access.md) ---
# The shipped access matrix; `manage.py load_matrix` compares it with the zone's edits.
ACCESS_MATRIX_FILE = BASE_DIR / "access" / "matrix" / "default.toml"
# How long relationships last when no end date is given (REFERENCE.md, Brussels Health Network).
ACCESS_RELATIONSHIP_DAYS = {
    "regular": env_int("ACCESS_REGULAR_DAYS", 457),  # ~15 months: regular GP or pharmacist
    "occasional": env_int("ACCESS_OCCASIONAL_DAYS", 91),  # 3 months: occasional contact
    "emergency": env_int("ACCESS_EMERGENCY_DAYS", 30),  # 1 month: emergency doctor
}
ACCESS_BREAK_GLASS_HOURS = env_int("ACCESS_BREAK_GLASS_HOURS", 24)
# At most this many break-glass attempts per user per rolling 24 hours.
ACCESS_BREAK_GLASS_PER_DAY = env_int("ACCESS_BREAK_GLASS_PER_DAY", 5)
# At most this many attempts to register a person per user per rolling 24 hours (registered or
# refused), so that registering cannot be used to test many INSZ numbers.
PEOPLE_REGISTER_PER_DAY = env_int("PEOPLE_REGISTER_PER_DAY", 30)
# Key of the audit chains' HMAC. Keep it apart from the database: whoever holds both can
# rewrite history undetected. Defaults to a key derived from SECRET_KEY.
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY", "")
# Number of independent audit chains; writers spread over them so none waits on a global lock.
AUDIT_STREAMS = env_int("AUDIT_STREAMS", 16)
# The zone's data protection officer, whom the person contacts with a question or a complaint
# about who looked at their dossier (shown on that page). Set them in every deployment.
DPO_CONTACT_NAME = env_str("DPO_CONTACT_NAME", "")
DPO_CONTACT_EMAIL = env_str("DPO_CONTACT_EMAIL", "")
DPO_CONTACT_PHONE = env_str("DPO_CONTACT_PHONE", "")
# The address Schakel is reached at, for links in what a background task sends (a calendar
# invitation, the daily "My actions" e-mail): a task has no request to take the host from.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Reads of one private calendar feed per hour (calendar apps poll every 15 minutes or so).
MEETINGS_FEED_READS_PER_HOUR = env_int("MEETINGS_FEED_READS_PER_HOUR", 60)
# Benchmark-only switch (docs/benchmarks.md): never set in a deployment.
AUDIT_DISABLED_FOR_BENCHMARK = False

NINJA_PAGINATION_PER_PAGE = 50

# --- Social map (docs/social-map.md) ---
# A capacity confirmed within this many days with places free counts as "available now".
DIRECTORY_AVAILABLE_NOW_DAYS = env_int("DIRECTORY_AVAILABLE_NOW_DAYS", 14)
# A service confirmed (or its capacity updated) longer ago than this is flagged as stale.
DIRECTORY_STALE_DAYS = env_int("DIRECTORY_STALE_DAYS", 90)
# Limits on one HSDS or CoBRHA import file.
DIRECTORY_IMPORT_MAX_BYTES = env_int("DIRECTORY_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
DIRECTORY_IMPORT_MAX_ROWS = env_int("DIRECTORY_IMPORT_MAX_ROWS", 2_000_000)
# From this many services, a JSON import checks them against the schema in a second (forked)
# process while it prepares them (interop/hsds/checking.py).
DIRECTORY_IMPORT_PARALLEL_FROM = env_int("DIRECTORY_IMPORT_PARALLEL_FROM", 2000)
# Uploaded import files wait here for the worker (`manage.py db_worker`).
DIRECTORY_IMPORT_DIR = Path(env_str("DIRECTORY_IMPORT_DIR", str(BASE_DIR / "var" / "imports")))
# Requests per minute per client address on the public HSDS API (/hsds/).
DIRECTORY_HSDS_RATE = env_int("DIRECTORY_HSDS_RATE", 120)
# Public searches per minute per client address (/map/ and /api/map/search).
DIRECTORY_SEARCH_RATE = env_int("DIRECTORY_SEARCH_RATE", 60)
# Days the aggregated search words (no queries, no addresses) are kept (`purge_search_terms`).
DIRECTORY_SEARCH_TERMS_DAYS = env_int("DIRECTORY_SEARCH_TERMS_DAYS", 30)

# --- Care plans (issue 12, docs/user-guide.md "My actions") ---
# "My actions" lists as due soon the open actions due within this many days (and the digest counts them).
PLAN_ACTIONS_DUE_SOON_DAYS = env_int("PLAN_ACTIONS_DUE_SOON_DAYS", 7)
# A done action nobody has said "did it help?" about for this many days is flagged for the coordinator.
PLAN_HELP_ANSWER_DAYS = env_int("PLAN_HELP_ANSWER_DAYS", 14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
