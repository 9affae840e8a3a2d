"""Reading the access log: the person's own view, and the DPO's search by user."""

from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEntry
from people.models import Person

PAGE_SIZE = 50


def person_log(person: Person, *, start: date | None = None, end: date | None = None) -> QuerySet[AuditEntry]:
    """Every access and refusal on the person's record and on any record merged into it."""
    ids = [person.pk, *person.aliases.values_list("pk", flat=True)]
    rows = AuditEntry.objects.filter(person_id__in=ids)
    if start:
        rows = rows.filter(created_at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        rows = rows.filter(created_at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))
    return rows.select_related("actor", "acting_for").order_by("-created_at", "-id")


def paginate(rows: QuerySet[AuditEntry], page: str | int | None) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(page)
