"""Background imports: the curation page records an ImportJob (the import's status page) and
enqueues its task; the background worker (`manage.py db_worker`, started by `make run`) takes the
tasks from the database one at a time and runs them, writing progress to the job's dataset."""

import logging
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import User
from core.i18n import CONTENT_LANGUAGES
from directory.hsds import datasets, importer
from directory.models import Dataset, ImportJob
from interop.hsds.reader import ImportRefused

logger = logging.getLogger(__name__)

# A staging dataset without progress for this long belongs to a killed worker.
ABANDONED_AFTER = timedelta(minutes=30)
ALLOWED_SUFFIXES = (".json", ".zip")


def enqueue_import(actor: User, upload: UploadedFile, *, language: str, mode: str, skip_invalid: bool) -> ImportJob:
    """Keep the uploaded file and queue its import (curation page)."""
    name = Path(upload.name or "").name
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ValidationError(_("Upload an HSDS .json file or a .zip data package."), code="bad_suffix")
    if upload.size is not None and upload.size > settings.DIRECTORY_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large; the limit is %(limit)s MB.")
            % {"limit": round(settings.DIRECTORY_IMPORT_MAX_BYTES / 1_048_576, 1)},
            code="too_large",
        )
    if language not in CONTENT_LANGUAGES or mode not in importer.MODES:
        raise ValidationError(_("Choose the language and the import mode."), code="bad_choice")
    folder = Path(settings.DIRECTORY_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    public_id = uuid.uuid4()
    target = folder / f"{public_id}{Path(name).suffix.lower()}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    # The job and its task are committed together: the worker never finds one without the other.
    with transaction.atomic():
        job = ImportJob.objects.create(
            public_id=public_id,
            language=language,
            mode=mode,
            skip_invalid=skip_invalid,
            source=name,
            path=str(target),
            created_by=actor,
        )
        run_import.enqueue(job.pk)
    job.refresh_from_db()  # a task run at once (tests) has changed it
    return job


@task(queue_name="imports")
def run_import(job_id: int) -> str:
    """The background task of one import (`manage.py db_worker`; at once in tests): first fail the
    imports a killed worker left staging, then claim this job and run it. Returns the job's status."""
    datasets.abandon_stale_staging(ABANDONED_AFTER)
    job = claim(job_id)
    if job is None:  # run already, or failed by the clean-up
        return "skipped"
    return run_job(job).status


def claim(job_id: int) -> ImportJob | None:
    """Mark a waiting job running, with the staging dataset its progress is written to. A job is
    claimed once: a second claim (a task run twice) finds it no longer waiting."""
    with transaction.atomic():
        job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).first()
        if job is None:
            return None
        dataset = Dataset.objects.create(
            status=Dataset.Status.STAGING, language=job.language, source=job.source, label=job.source
        )
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PENDING).update(
            status=ImportJob.Status.RUNNING, started_at=timezone.now(), dataset=dataset
        )
        if not claimed:
            dataset.delete()
            return None
    job.refresh_from_db()
    return job


def run_job(job: ImportJob, *, chunk_size: int = 500) -> ImportJob:
    """Run one claimed job to its end (published, or failed with the report)."""
    assert job.dataset is not None
    # Messages kept on the job are read by the curator who uploaded it: write them in their language.
    with translation.override(job.created_by.language or settings.LANGUAGE_CODE):
        return _run_job(job, chunk_size=chunk_size)


def _run_job(job: ImportJob, *, chunk_size: int) -> ImportJob:
    assert job.dataset is not None
    try:
        result = importer.import_file(
            Path(job.path),
            language=job.language,
            mode=job.mode,
            skip_invalid=job.skip_invalid,
            dataset=job.dataset,
            chunk_size=chunk_size,
        )
    except ImportRefused as refusal:
        _finish(job, ImportJob.Status.FAILED, refusal.message)
    except Exception:
        logger.exception("Import job %s failed", job.public_id)
        _finish(job, ImportJob.Status.FAILED, _("The import stopped with an internal error; nothing was published."))
    else:
        if result.published:
            datasets.purge_retired()
            _finish(job, ImportJob.Status.DONE, "")
        else:
            _finish(job, ImportJob.Status.FAILED, result.dataset.message)
    job.refresh_from_db()
    return job


def _finish(job: ImportJob, status: str, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), message=message)
    Path(job.path).unlink(missing_ok=True)
