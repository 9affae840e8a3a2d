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
