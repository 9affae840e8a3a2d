"""Dataset housekeeping: removing the records of failed and old datasets, and finding imports
that were killed (their staging dataset stopped sending a heartbeat)."""

from collections.abc import Collection
from datetime import timedelta
from typing import Any, cast

from django.db import transaction
from django.db.models import CASCADE, SET_NULL, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.hsds.records import MODELS
from directory.models import Dataset, ImportJob
from interop.hsds.mapping import ORDER


def purge_records(dataset: Dataset) -> None:
    """Delete a dataset's records (not the dataset row, which keeps its report).

    A raw delete, children first: these are whole directories, and a model delete would write a
    history row for each staged service (django-simple-history listens to deletes)."""
    if dataset.status == Dataset.Status.PUBLISHED:
        raise ValueError("The published dataset is never purged.")
    own = set(MODELS.values())
    for obj in reversed(ORDER):
        model = MODELS[obj]
        queryset = model._default_manager.filter(dataset_id=dataset.pk)
        with transaction.atomic():
            if obj in ("organization", "taxonomy_term"):
                queryset.update(parent=None)  # self-references first
            _clear_references_from_elsewhere(model, queryset, own)
            queryset._raw_delete(queryset.db)


def _clear_references_from_elsewhere(model: type[Model], queryset: QuerySet[Any], own: Collection[type[Model]]) -> None:
    """Rows of other models (e.g. the search index) that point at records about to go: a raw
    delete does not cascade, so do what their on_delete says. History rows hold no constraint."""
    for relation in model._meta.related_objects:
        other, field = cast(type[Model], relation.related_model), relation.field
        if other in own or not getattr(field, "db_constraint", True) or other._meta.auto_created:
            continue
        rows = other._default_manager.filter(**{f"{field.name}__in": queryset.values("pk")})
        if field.remote_field.on_delete is CASCADE:
            rows._raw_delete(rows.db)
        elif field.remote_field.on_delete is SET_NULL:
            rows.update(**{field.name: None})


def abandon_stale_staging(older_than: timedelta) -> list[Dataset]:
    """Mark staging datasets without progress for `older_than` as failed, and purge them."""
    cutoff = timezone.now() - older_than
    abandoned = []
    for dataset in Dataset.objects.filter(status=Dataset.Status.STAGING, heartbeat_at__lt=cutoff):
        updated = Dataset.objects.filter(pk=dataset.pk, status=Dataset.Status.STAGING, heartbeat_at__lt=cutoff).update(
            status=Dataset.Status.FAILED,
            message=_("The import stopped before it finished (the worker was stopped); nothing was published."),
        )
        if updated:
            dataset.refresh_from_db()
            purge_records(dataset)
            ImportJob.objects.filter(
                dataset=dataset, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]
            ).update(status=ImportJob.Status.FAILED, finished_at=timezone.now(), message=dataset.message)
            abandoned.append(dataset)
    return abandoned


def purge_retired(keep: int = 1) -> int:
    """Remove the records of retired datasets, keeping the `keep` most recent ones whole."""
    retired = list(Dataset.objects.filter(status=Dataset.Status.RETIRED).order_by("-published_at", "-pk"))
    purged = 0
    for dataset in retired[keep:]:
        if MODELS["service"]._default_manager.filter(dataset=dataset).exists():
            purge_records(dataset)
            purged += 1
    return purged
