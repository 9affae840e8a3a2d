"""Background imports: the curation page queues an ImportJob; `manage.py run_directory_worker`
(started by `make run`) claims and runs them one at a time, writing progress to the job's dataset."""

import logging
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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
    return ImportJob.objects.create(
        public_id=public_id,
        language=language,
        mode=mode,
        skip_invalid=skip_invalid,
        source=name,
        path=str(target),
        created_by=actor,
    )


def claim_next() -> ImportJob | None:
    """Take the oldest waiting job. Two workers never take the same one: PostgreSQL skips rows
    another worker has locked; SQLite serialises writers (immediate transactions)."""
    with transaction.atomic():
        queryset = ImportJob.objects.filter(status=ImportJob.Status.PENDING).order_by("created_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True)
        job = queryset.first()
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


def run_pending(*, once: bool = False, chunk_size: int = 500) -> int:
    """Run waiting jobs; with `once`, those waiting now and then return. Returns how many ran."""
    datasets.abandon_stale_staging(ABANDONED_AFTER)
    ran = 0
    while (job := claim_next()) is not None:
        run_job(job, chunk_size=chunk_size)
        ran += 1
        if once and not ImportJob.objects.filter(status=ImportJob.Status.PENDING).exists():
            break
    return ran
