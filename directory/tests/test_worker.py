"""Background imports: the curation page records an ImportJob and enqueues its task, the worker
(`manage.py db_worker`) runs it and the page shows its progress; abandoned staging datasets are
cleaned up. Tests run tasks at once (ImmediateBackend); those about the queue itself use the
database backend and run the worker."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from conftest import run_worker
from directory import jobs
from directory import models as m
from interop.tests import samples


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.DIRECTORY_IMPORT_DIR = tmp_path / "imports"


def upload(data: object, name: str = "services.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/json")


def test_a_queued_import_waits_for_the_worker_and_is_run_by_it(zone_admin, queued):
    job = jobs.enqueue_import(zone_admin, upload(samples.services(2)), language="nl", mode="merge", skip_invalid=False)
    assert (job.status, job.progress, Path(job.path).exists()) == (m.ImportJob.Status.PENDING, 0, True)
    waiting = DBTaskResult.objects.get()
    assert (waiting.task_path, waiting.queue_name, waiting.status) == ("directory.jobs.run_import", "imports", "READY")
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.progress, job.message) == (m.ImportJob.Status.DONE, 100, "")
    assert job.dataset.status == m.Dataset.Status.PUBLISHED
    assert m.Service.objects.published().count() == 2
    assert not Path(job.path).exists()  # the upload is removed once imported
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_without_a_worker_the_import_is_run_at_once_in_tests(zone_admin):
    job = jobs.enqueue_import(zone_admin, upload(samples.services(1)), language="nl", mode="merge", skip_invalid=False)
    assert (job.status, job.progress) == (m.ImportJob.Status.DONE, 100)
    assert not DBTaskResult.objects.exists()


def test_a_job_with_rejected_records_fails_with_its_report(zone_admin):
    data = samples.services(1)
    data[0]["status"] = "open"
    job = jobs.enqueue_import(zone_admin, upload(data), language="nl", mode="merge", skip_invalid=False)
    assert job.status == m.ImportJob.Status.FAILED
    assert [p["code"] for p in job.dataset.report] == ["enum"]
    assert m.Dataset.objects.published() is None


def test_a_refused_file_fails_the_job_with_the_reason(zone_admin):
    bad = SimpleUploadedFile("broken.json", b"[{", content_type="application/json")
    job = jobs.enqueue_import(zone_admin, bad, language="nl", mode="merge", skip_invalid=False)
    assert job.status == m.ImportJob.Status.FAILED
    with translation.override(zone_admin.language):  # the uploader's language
        expected = gettext("The file is not valid JSON (line %(line)s, column %(column)s: %(reason)s).") % {
            "line": 1,
            "column": 3,
            "reason": "Expecting property name enclosed in double quotes",
        }
    assert job.message == job.dataset.message == expected
    assert job.dataset.status == m.Dataset.Status.FAILED


def test_jobs_run_oldest_first_and_each_once(zone_admin, queued):
    first = jobs.enqueue_import(
        zone_admin, upload(samples.services(1)), language="nl", mode="merge", skip_invalid=False
    )
    second = jobs.enqueue_import(
        zone_admin, upload(samples.services(1, "fr")), language="fr", mode="merge", skip_invalid=False
    )
    run_worker()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (m.ImportJob.Status.DONE, m.ImportJob.Status.DONE)
    assert first.started_at <= first.finished_at <= second.started_at
    # The same task run again (a worker retrying it) finds its job no longer waiting.
    assert jobs.claim(first.pk) is None
    assert jobs.run_import.call(first.pk) == "skipped"
    assert m.Dataset.objects.filter(status=m.Dataset.Status.STAGING).count() == 0


def test_the_upload_is_checked(zone_admin, settings):
    with pytest.raises(ValidationError) as wrong_kind:
        jobs.enqueue_import(zone_admin, upload([], "services.txt"), language="nl", mode="merge", skip_invalid=False)
    assert wrong_kind.value.code == "bad_suffix"
    settings.DIRECTORY_IMPORT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as too_large:
        jobs.enqueue_import(zone_admin, upload(samples.services(1)), language="nl", mode="merge", skip_invalid=False)
    assert too_large.value.code == "too_large"
    assert m.ImportJob.objects.count() == 0


def test_the_clean_up_fails_a_silent_staging_dataset_and_its_job(zone_admin, published, queued):
    job = jobs.enqueue_import(zone_admin, upload(samples.services(1)), language="nl", mode="merge", skip_invalid=False)
    claimed = jobs.claim(job.pk)  # a worker took it and was killed: the task stays "running"
    staging = claimed.dataset
    m.Organization.objects.create(dataset=staging, hsds_id="left-behind", name_nl="Half")
    m.Dataset.objects.filter(pk=staging.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=31))
    DBTaskResult.objects.update(status="RUNNING")
    following = jobs.enqueue_import(
        zone_admin, upload(samples.services(1)), language="nl", mode="merge", skip_invalid=False
    )
    run_worker()  # the next import cleans up before it runs
    staging.refresh_from_db()
    job.refresh_from_db()
    assert staging.status == m.Dataset.Status.FAILED
    assert job.status == m.ImportJob.Status.FAILED
    assert not m.Organization.objects.filter(dataset=staging).exists()
    following.refresh_from_db()
    assert following.status == m.ImportJob.Status.DONE
    assert m.Dataset.objects.published().pk == following.dataset.pk != published.pk


def test_a_recent_staging_dataset_is_left_alone(published):
    staging = m.Dataset.objects.create(status=m.Dataset.Status.STAGING)
    call_command("clean_directory_datasets", verbosity=0)
    staging.refresh_from_db()
    assert staging.status == m.Dataset.Status.STAGING


def test_old_retired_datasets_are_purged_keeping_the_last(published, tmp_path):
    retired = m.Dataset.objects.get(status=m.Dataset.Status.RETIRED)
    assert m.Service.objects.filter(dataset=retired).count() == 3
    call_command(
        "import_hsds",
        str(samples.write_json(tmp_path / "x.json", samples.services(1))),
        "--language",
        "nl",
        verbosity=0,
    )
    retired.refresh_from_db()
    assert retired.status == m.Dataset.Status.RETIRED
    assert m.Service.objects.filter(dataset=retired).count() == 0  # the older one is purged
    assert m.Service.objects.filter(dataset=published).count() == 3  # the last retired one is kept
