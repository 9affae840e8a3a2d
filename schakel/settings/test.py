"""The test suite: fast hashing, e-mail kept in memory, and an in-memory SQLite database unless a
file is asked for (SCHAKEL_TEST_DB=file) by the tests that need real locking (marked `locking`)."""

import os

from schakel.settings.base import *  # noqa: F403 - settings modules extend the base by design

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks (imports, e-mail) run at once, inside the call that enqueues them.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "mail", "imports"]}
}
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}

# Each test run gets its own database, so that runs side by side (two checkouts, or a developer
# and CI on one machine) never destroy each other's. pytest-xdist adds a worker suffix.
_RUN = os.environ.get("SCHAKEL_TEST_RUN", str(os.getpid()))
SQLITE_TEST_FILE = os.environ.get("SCHAKEL_TEST_DB") == "file"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    if SQLITE_TEST_FILE:
        # Several connections (threads, a subprocess) share one file and meet its real locks.
        _folder = BASE_DIR / "var"  # noqa: F405
        _folder.mkdir(exist_ok=True)  # a fresh clone has no var/ yet
        DATABASES["default"]["TEST"] = {"NAME": str(_folder / f"test-{_RUN}.sqlite3")}  # noqa: F405
    else:
        # Django's shared-cache in-memory database: no disk I/O, one per xdist worker.
        DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_schakel_{_RUN}"}  # noqa: F405
