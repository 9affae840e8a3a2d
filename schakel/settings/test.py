"""The test suite: fast hashing, and e-mail kept in memory."""

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
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{_RUN}.sqlite3")}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_schakel_{_RUN}"}  # noqa: F405
