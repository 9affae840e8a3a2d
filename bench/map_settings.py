"""Settings for the social-map part of `make bench` (bench.map_bench): production settings on a
database of its own, `schakel_bench_map` on PostgreSQL or var/bench-map.sqlite3, never the
development database nor the access benchmark's.

The public search's rate limit is lifted (the benchmark sends thousands of searches from one
address) and the import file limit raised to hold the 100,000-service file (about 210 MB).
"""

import os

# A fixed key: the data is synthetic and the server never faces a network.
BENCH_SECRET_KEY = "bench-map-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG"  # noqa: S105
os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)  # production.py requires one to import

from bench.databases import bench_databases  # noqa: E402
from schakel.settings.env import env_str  # noqa: E402
from schakel.settings.production import *  # noqa: E402, F403 - the benchmark measures production settings

SECRET_KEY = BENCH_SECRET_KEY
# Not a deployment: the search-quality step loads the synthetic demo directory, which the demo
# loader refuses under "production".
SCHAKEL_ENVIRONMENT = "bench"
AUDIT_HMAC_KEY = "bench-map-only-audit-key"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
SECURE_SSL_REDIRECT = False  # requests come from the in-process test client, over plain HTTP
STATIC_ROOT = BASE_DIR / "var" / "bench-static"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DIRECTORY_SEARCH_RATE = 10**9
DIRECTORY_IMPORT_MAX_BYTES = 1024 * 1024 * 1024
DIRECTORY_IMPORT_DIR = BASE_DIR / "var" / "bench-map-imports"  # noqa: F405

BENCH_MAP_DATABASE_NAME = "schakel_bench_map"
BENCH_MAP_SQLITE_PATH = BASE_DIR / "var" / "bench-map.sqlite3"  # noqa: F405

# bench.run sets BENCH_MAP_DATABASE_URL for PostgreSQL and leaves it unset for SQLite;
# BENCH_MAP_SQLITE names another file under var/ (a scratch copy while profiling).
DATABASES = bench_databases(
    DATABASES,  # noqa: F405
    url_variable="BENCH_MAP_DATABASE_URL",
    name=BENCH_MAP_DATABASE_NAME,
    sqlite_path=BASE_DIR / "var" / env_str("BENCH_MAP_SQLITE", BENCH_MAP_SQLITE_PATH.name),  # noqa: F405
)
