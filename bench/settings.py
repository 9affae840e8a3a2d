"""Settings for `make bench` only: production settings, served over plain HTTP on 127.0.0.1, on a
database of its own (never the development or a real database).

BENCH_AUDIT_OFF=true switches the audit trail off through AUDIT_DISABLED_FOR_BENCHMARK, so that
the cost of auditing can be measured against the same request without it. It exists for that
comparison alone and is read nowhere else (docs/benchmarks.md).
"""

import os

# A fixed key: the data builder, the sessions, the server and verify_audit must all derive the same
# session hashes and audit HMAC key. It protects nothing: the bench data is synthetic.
BENCH_SECRET_KEY = "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"  # noqa: S105
os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)  # production.py requires one to import

from bench.databases import bench_databases  # noqa: E402
from schakel.settings.env import env_bool  # noqa: E402
from schakel.settings.production import *  # noqa: E402, F403 - the benchmark measures production settings

SECRET_KEY = BENCH_SECRET_KEY
AUDIT_HMAC_KEY = "bench-only-audit-key"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False  # the load client speaks plain HTTP to 127.0.0.1
SCHAKEL_REQUIRE_2FA = False  # the clients hold ready-made sessions; no TOTP step
# Only pages are requested, never static files, so no collectstatic manifest is needed.
STATIC_ROOT = BASE_DIR / "var" / "bench-static"  # noqa: F405 - made (empty) by bench.run
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AUDIT_DISABLED_FOR_BENCHMARK = env_bool("BENCH_AUDIT_OFF", False)
# `manage.py bench_data` (building the data set) exists only under these settings.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

BENCH_DATABASE_NAME = "schakel_bench"
BENCH_SQLITE_PATH = BASE_DIR / "var" / "bench.sqlite3"  # noqa: F405

# bench.run sets BENCH_DATABASE_URL for PostgreSQL and leaves it unset for SQLite.
DATABASES = bench_databases(
    DATABASES,  # noqa: F405
    url_variable="BENCH_DATABASE_URL",
    name=BENCH_DATABASE_NAME,
    sqlite_path=BENCH_SQLITE_PATH,
)
