"""Reads for the zone team's curation pages. Only the zone admin and the helpdesk curate; to
everyone else these pages look like pages that do not exist (404)."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from access import rules
from directory.availability import stale_q
from directory.models import Dataset, ImportJob, Metadata, Schedule, Service, ServiceArea

PAGE_SIZE = 50
FILTERS = ("all", "stale", "incomplete")


def is_curator(actor: Any) -> bool:
    return rules.curates_social_map(actor)


def require_curator(actor: Any) -> None:
    if not is_curator(actor):
        raise Http404


def _has_schedule() -> Exists:
    return Exists(Schedule.objects.filter(Q(service=OuterRef("pk")) | Q(service_at_location__service=OuterRef("pk"))))


def _has_area() -> Exists:
    return Exists(ServiceArea.objects.filter(service=OuterRef("pk")))


def incomplete_q() -> Q:
    """A description missing in Dutch or French, no schedule, or no service area."""
    return Q(description_nl="") | Q(description_fr="") | Q(has_schedule=False) | Q(has_area=False)


def incomplete_reasons(service: Service) -> list[str]:
    """What is missing, in words (uses the list's annotations when present)."""
    has_schedule = getattr(service, "has_schedule", None)
    if has_schedule is None:
        has_schedule = Schedule.objects.filter(Q(service=service) | Q(service_at_location__service=service)).exists()
    has_area = getattr(service, "has_area", None)
    if has_area is None:
        has_area = ServiceArea.objects.filter(service=service).exists()
    reasons = []
    if not service.description_nl:
        reasons.append(_("no Dutch description"))
    if not service.description_fr:
        reasons.append(_("no French description"))
    if not has_schedule:
        reasons.append(_("no opening hours"))
    if not has_area:
        reasons.append(_("no area"))
    return reasons


def services_to_curate(actor: Any, *, which: str = "all", search: str = "", page: Any = 1) -> Page:
    require_curator(actor)
    queryset: QuerySet[Service] = (
        Service.objects.published()
        .select_related("organization")
        .annotate(has_schedule=_has_schedule(), has_area=_has_area())
    )
    if which == "stale":
        queryset = queryset.filter(stale_q())
    elif which == "incomplete":
        queryset = queryset.filter(incomplete_q())
    if search:
        words = search.strip()[:200]
        queryset = queryset.filter(Q(name_nl__icontains=words) | Q(name_fr__icontains=words))
    queryset = queryset.prefetch_related("capacities").order_by("assured_date", "name_nl", "pk")
    return Paginator(queryset, PAGE_SIZE).get_page(page)


def get_service(actor: Any, hsds_id: str) -> Service:
    """A service of the published directory, by its HSDS id (stable across imports)."""
    require_curator(actor)
    service = (
        Service.objects.published()
        .select_related("organization", "dataset")
        .prefetch_related("capacities__unit", "service_areas__municipality", "service_areas__zone", "phones")
        .filter(hsds_id=hsds_id)
        .first()
    )
    if service is None:
        raise Http404
    return service


def history_of(actor: Any, service: Service) -> list[Metadata]:
    """The HSDS change log of a service and its capacities, newest first."""
    require_curator(actor)
    ids = [service.hsds_id, *service.capacities.values_list("hsds_id", flat=True)]
    return list(
        Metadata.objects.filter(dataset=service.dataset, resource_id__in=ids).order_by("-last_action_date")[:50]
    )


def import_jobs(actor: Any) -> list[ImportJob]:
    require_curator(actor)
    return list(ImportJob.objects.select_related("dataset", "created_by")[:20])


def get_job(actor: Any, public_id: Any) -> ImportJob:
    require_curator(actor)
    job = ImportJob.objects.select_related("dataset").filter(public_id=public_id).first()
    if job is None:
        raise Http404
    return job


def published_dataset(actor: Any) -> Dataset | None:
    require_curator(actor)
    return Dataset.objects.published()


def counts_to_review(actor: Any) -> tuple[int, int, int]:
    """Published services, those to confirm again (stale) and those incomplete: what the zone
    team's home page shows (directory.homes)."""
    require_curator(actor)
    services = Service.objects.published()
    incomplete = services.annotate(has_schedule=_has_schedule(), has_area=_has_area()).filter(incomplete_q())
    return services.count(), services.filter(stale_q()).count(), incomplete.count()
