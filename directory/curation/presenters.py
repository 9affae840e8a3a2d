"""Display values for the curation pages, so the templates hold no logic."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from directory.availability import AVAILABLE, FULL, WAITING_LIST, Availability
from directory.availability import status as availability_status
from directory.curation.forms import FILTER_CHOICES
from directory.curation.queries import incomplete_reasons
from directory.models import Dataset, ImportJob, Location, Organization, Service, ServiceCapacity
from interop.hsds.problems import describe


def filters(current: str) -> list[dict[str, Any]]:
    return [{"value": value, "label": label, "current": value == current} for value, label in FILTER_CHOICES]


def availability_text(found: Availability) -> str:
    if found.status == AVAILABLE:
        return _("Places available")
    if found.status == WAITING_LIST:
        if found.waiting_weeks is not None:
            return _("Waiting list (about %(weeks)s weeks)") % {"weeks": found.waiting_weeks}
        return _("Waiting list")
    if found.status == FULL:
        return _("Full")
    return _("Unknown")


@dataclass(frozen=True)
class ServiceRow:
    service: Service
    availability: str
    confirmed_at: Any
    is_stale: bool
    missing: list[str]


def service_row(service: Service) -> ServiceRow:
    found = availability_status(service)
    return ServiceRow(
        service, availability_text(found), found.confirmed_at, found.is_stale, incomplete_reasons(service)
    )


def service_initial(service: Service) -> dict[str, Any]:
    phone = service.phones.filter(professional_only=False, contact=None).order_by("pk").first()
    areas = list(service.service_areas.all())
    return {
        "version": service.version,
        **{
            name: getattr(service, name)
            for name in (
                "name_nl",
                "name_fr",
                "description_nl",
                "description_fr",
                "eligibility_description_nl",
                "eligibility_description_fr",
                "minimum_age",
                "maximum_age",
                "application_process_nl",
                "application_process_fr",
                "fees_description_nl",
                "fees_description_fr",
                "status",
                "email",
                "url",
                "alert",
            )
        },
        "phone": phone.number if phone else "",
        "municipalities": [a.municipality_id for a in areas if a.municipality_id and not a.zone_id],
        "zones": [a.zone_id for a in areas if a.zone_id and not a.municipality_id],
    }


def availability_initial(capacity: ServiceCapacity | None) -> dict[str, Any]:
    if capacity is None:
        return {"version": None}
    return {
        "version": capacity.version,
        "available": capacity.available,
        "maximum": capacity.maximum,
        "waiting_weeks": capacity.waiting_weeks,
    }


@dataclass(frozen=True)
class JobView:
    progress: int
    finished: bool
    status: str
    message: str
    problems: list[str]
    hidden_problems: int
    counts: list[tuple[str, int]]


def _published_counts(job: ImportJob, report: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """What a finished import published. Records are counted while its dataset is the published
    one (a later import retires and purges it); the rejected records stay in its report."""
    dataset = job.dataset
    if job.status != ImportJob.Status.DONE or dataset is None:
        return []
    counts = []
    if dataset.status == Dataset.Status.PUBLISHED:
        counts = [
            (_("Services"), Service.objects.filter(dataset=dataset).count()),
            (_("Organisations"), Organization.objects.filter(dataset=dataset).count()),
            (_("Locations"), Location.objects.filter(dataset=dataset).count()),
        ]
    rejected = len({(problem.get("object"), problem.get("record_id")) for problem in report})
    return [*counts, (_("Rejected records"), rejected)]


def job_view(job: ImportJob) -> JobView:
    report = job.dataset.report if job.dataset else []
    problems = [describe(problem) for problem in report[:100]]
    return JobView(
        progress=job.progress,
        finished=job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED),
        status=job.get_status_display(),
        message=job.message or (job.dataset.message if job.dataset else ""),
        problems=problems,
        hidden_problems=max(0, len(report) - len(problems)),
        counts=_published_counts(job, report),
    )
