"""A worker killed in the middle of an import leaves the published directory as it was; the clean-up
command then fails and removes the abandoned staging dataset."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from directory import models as m
from directory.hsds import importer
from interop.tests import samples

ROOT = Path(settings.BASE_DIR)

# The worker subprocess opens this run's database: on SQLite, the file database.
pytestmark = pytest.mark.locking


def _env() -> dict[str, str]:
    """The subprocess uses this test run's database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "schakel.settings.test", "LANGUAGE_CODE": "en"}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = db["NAME"]
        env.pop("DATABASE_URL", None)
    else:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return env


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_import_leaves_the_directory_intact(tmp_path):
    first = importer.import_file(samples.write_json(tmp_path / "first.json", samples.services(2)), language="nl")
    published_before = sorted(m.Service.objects.published().values_list("hsds_id", "name_nl"))
    big = samples.write_json(tmp_path / "big.json", samples.services(600, "fr", start=100))

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "import_hsds", str(big), "--language", "fr", "--chunk-size", "10"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = []
        for line in worker.stdout:
            seen.append(line)
            if "Staging" in line and int(line.split("]")[1].split("%")[0]) >= 50:
                break
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL, "".join(seen) + worker.stderr.read()

    # Readers still see the first directory, whole.
    assert m.Dataset.objects.published().pk == first.dataset.pk
    assert sorted(m.Service.objects.published().values_list("hsds_id", "name_nl")) == published_before
    staging = m.Dataset.objects.get(status=m.Dataset.Status.STAGING)
    assert 50 <= staging.progress < 100
    assert m.Organization.objects.filter(dataset=staging).count() == 602  # it got somewhere: 600 new, 2 carried over

    call_command("clean_directory_datasets", "--minutes", "0", verbosity=0)
    staging.refresh_from_db()
    assert staging.status == m.Dataset.Status.FAILED
    assert m.Service.objects.filter(dataset=staging).count() == 0
    assert m.Organization.objects.filter(dataset=staging).count() == 0
    assert m.Dataset.objects.published().pk == first.dataset.pk


@pytest.mark.django_db(transaction=True)
def test_the_command_prints_a_progress_bar_and_publishes(tmp_path):
    path = samples.write_json(tmp_path / "x.json", samples.services(3))
    result = subprocess.run(
        [sys.executable, "manage.py", "import_hsds", str(path), "--language", "nl", "--chunk-size", "5"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[..............................]   0%")
    assert lines[-2].startswith("[##############################] 100%")
    assert m.Service.objects.published().count() == 3
