import uuid
from datetime import date, datetime

from django.db.models import QuerySet
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from audit import queries
from audit.models import AuditEntry
from core.requests import ApiRequest
from schakel.routes import person_route

router = Router(tags=["access log"])


class AccessLogEntryOut(Schema):
    """One access to the person's record, or a refused attempt, with the NEN 7513 fields."""

    time: datetime
    event: str
    action: str
    who: str
    role: str
    acting_for: str | None
    category: str
    level: str
    allowed: bool
    reason: str
    request_id: str

    @staticmethod
    def resolve_time(entry: AuditEntry) -> datetime:
        return entry.created_at

    @staticmethod
    def resolve_who(entry: AuditEntry) -> str:
        return entry.actor_label

    @staticmethod
    def resolve_role(entry: AuditEntry) -> str:
        return entry.actor_profile

    @staticmethod
    def resolve_acting_for(entry: AuditEntry) -> str | None:
        return str(entry.acting_for) if entry.acting_for_id and entry.acting_for else None


class PeriodIn(Schema):
    start: date | None = None
    end: date | None = None


@router.get("/{person_id}/access-log", response=list[AccessLogEntryOut], url_name="person-access-log")
@person_route("GET")
@paginate(PageNumberPagination, page_size=queries.PAGE_SIZE)
def person_access_log(request: ApiRequest, person_id: uuid.UUID, period: Query[PeriodIn]) -> QuerySet[AuditEntry]:
    """Who looked at the person's record, newest first: for the person and their legal
    representative only; anyone else gets the outsider's 404."""
    person = queries.person_for_log(request.auth, person_id)
    return queries.person_log(person, start=period.start, end=period.end)


class VisitRefusalOut(Schema):
    """What was refused in a visit, as codes: the page says it in words."""

    action: str
    category: str
    level: str
    reason: str


class VisitOut(Schema):
    """One visit: the same user, acting for the same user, with less than 30 minutes between rows."""

    start: datetime
    end: datetime
    who: str
    role: str
    acting_for: str | None
    own: bool
    emergency: bool
    read: list[str]  # categories read
    changed: list[str]  # categories changed
    opened: list[str]  # actions without a category (the access log, emergency access, ...)
    refused: list[VisitRefusalOut]
    rows: int


class VisitSummaryOut(Schema):
    people: int
    visits: int
    emergency_visits: int
    refused_visits: int
    own_visits: int


class VisitsOut(Schema):
    summary: VisitSummaryOut
    count: int
    page: int
    pages: int
    items: list[VisitOut]


class VisitsIn(PeriodIn):
    own: bool = False
    page: int = 1


def _visit_out(rows: queries.VisitRows, entries: dict[int, AuditEntry]) -> VisitOut:
    found = [entries[row_id] for row_id in reversed(rows.row_ids) if row_id in entries]
    first = found[0]
    granted = [entry for entry in found if entry.allowed]

    def unique(values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))

    return VisitOut(
        start=rows.oldest,
        end=rows.newest,
        who=first.actor_label,
        role=next((entry.actor_profile for entry in found if entry.actor_profile), ""),
        acting_for=str(first.acting_for) if first.acting_for_id and first.acting_for else None,
        own=rows.own,
        emergency=rows.emergency,
        read=unique([e.category for e in granted if e.category and e.level != "write"]),
        changed=unique([e.category for e in granted if e.category and e.level == "write"]),
        opened=unique([e.action for e in granted if not e.category]),
        refused=[
            VisitRefusalOut(action=e.action, category=e.category, level=e.level, reason=e.reason)
            for e in found
            if not e.allowed
        ],
        rows=len(found),
    )


@router.get("/{person_id}/access-log/visits", response=VisitsOut, url_name="person-access-log-visits")
@person_route("GET")
def person_access_log_visits(request: ApiRequest, person_id: uuid.UUID, params: Query[VisitsIn]) -> VisitsOut:
    """The same log grouped per visit, as on the person's page: a summary of the period, then
    visits newest first, 20 a page; the person's own visits (and the reader's) only with
    `own=true`. For the person and their legal representative only."""
    person = queries.person_for_log(request.auth, person_id)
    grouped = queries.person_visits(
        person, request.auth, start=params.start, end=params.end, include_own=params.own, page=params.page
    )
    summary = grouped.summary
    return VisitsOut(
        summary=VisitSummaryOut(
            people=summary.people,
            visits=summary.visits,
            emergency_visits=summary.emergency_visits,
            refused_visits=summary.refused_visits,
            own_visits=summary.own_visits,
        ),
        count=grouped.page.paginator.count,
        page=grouped.page.number,
        pages=grouped.page.paginator.num_pages,
        items=[_visit_out(rows, grouped.rows) for rows in grouped.page],
    )
