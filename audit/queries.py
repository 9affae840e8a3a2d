"""Reading the access log: the person's own view, and the DPO's search by user. Reads never
lock (the chains are locked only by writers, and only their heads). Who may read is decided in
access (access.queries.person_for_log, require_log_searcher), which registers them here in its
AppConfig.ready(): audit imports neither access nor people."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from audit.services import log_event
from core.actions import Action

if TYPE_CHECKING:
    from people.models import Person

PAGE_SIZE = 50


@dataclass
class _Gate:
    person_for_log: "Callable[[User, uuid.UUID | str], Person] | None" = None
    require_searcher: Callable[[User], None] | None = None


_GATE = _Gate()


def register_gate(
    *, person_for_log: "Callable[[User, uuid.UUID | str], Person]", require_searcher: Callable[[User], None]
) -> None:
    """access registers, in its AppConfig.ready(), who may read a person's log and who may search
    the log (access.queries): audit sits below the gate and never imports it."""
    _GATE.person_for_log = person_for_log
    _GATE.require_searcher = require_searcher


def person_for_log(actor: User, person_id: uuid.UUID | str) -> "Person":
    """The person whose log the actor asks for, gated and audited by the registered gate."""
    if _GATE.person_for_log is None:
        raise ImproperlyConfigured("access registers the gate of the access log (access.apps).")
    return _GATE.person_for_log(actor, person_id)


def require_searcher(actor: User) -> None:
    """The log search is the DPO's alone; anyone else gets a 404 (the registered gate audits it)."""
    if _GATE.require_searcher is None:
        raise ImproperlyConfigured("access registers the gate of the access log (access.apps).")
    _GATE.require_searcher(actor)


def _in_period(rows: QuerySet[AuditEntry], start: date | None, end: date | None) -> QuerySet[AuditEntry]:
    """Whole days in the zone's time zone, both ends included."""
    if start:
        rows = rows.filter(created_at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        rows = rows.filter(created_at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))
    return rows


def person_log(person: "Person", *, start: date | None = None, end: date | None = None) -> QuerySet[AuditEntry]:
    """Every access and refusal on the person's record and on any record merged into it."""
    ids = [person.pk, *person.aliases.values_list("pk", flat=True)]
    rows = _in_period(AuditEntry.objects.filter(person_id__in=ids), start, end)
    return rows.select_related("acting_for").order_by("-created_at", "-id")


# Rows of one actor (acting for the same user) with less than this between them are one visit.
VISIT_GAP = timedelta(minutes=30)
VISITS_PER_PAGE = 20


@dataclass
class VisitRows:
    """One visit: the ids of its rows, newest first, and what the summary needs of them."""

    actor: tuple[int | None, str]  # the actor's id, or a system job's label
    acting_for_id: int | None
    newest: datetime
    oldest: datetime
    own: bool  # the person themself, or the reader
    row_ids: list[int]
    refused: bool = False
    emergency: bool = False


@dataclass(frozen=True)
class VisitSummary:
    """The period at a glance, over everyone's visits but the person's own (and the reader's)."""

    people: int  # distinct users who looked, or tried to
    visits: int
    emergency_visits: int
    refused_visits: int
    own_visits: int  # hidden unless asked for


@dataclass(frozen=True)
class PersonVisits:
    summary: VisitSummary
    page: Page[VisitRows]
    rows: dict[int, AuditEntry]  # the rows of this page's visits, by id


def group_visits(rows: QuerySet[AuditEntry], own_ids: set[int]) -> list[VisitRows]:
    """Group log rows, newest first, into visits: the same actor acting for the same user, with
    less than VISIT_GAP between one row and the next. Rows of two people looking at the same
    time interleave; each is followed on its own. One query, a few columns per row."""
    visits: list[VisitRows] = []
    open_visits: dict[tuple[tuple[int | None, str], int | None], VisitRows] = {}
    scan = rows.order_by("-created_at", "-id").values_list(
        "id", "created_at", "actor_id", "actor_label", "acting_for_id", "allowed", "event"
    )
    for row_id, created_at, actor_id, actor_label, acting_for_id, allowed, event in scan:
        actor = (actor_id, "" if actor_id is not None else actor_label)
        key = (actor, acting_for_id)
        visit = open_visits.get(key)
        if visit is None or visit.oldest - created_at > VISIT_GAP:
            visit = VisitRows(actor, acting_for_id, created_at, created_at, actor_id in own_ids, [])
            open_visits[key] = visit
            visits.append(visit)
        visit.oldest = created_at
        visit.row_ids.append(row_id)
        visit.refused = visit.refused or not allowed
        visit.emergency = visit.emergency or event == AuditEntry.Event.BREAK_GLASS
    return visits


def person_visits(
    person: "Person",
    reader: User,
    *,
    start: date | None = None,
    end: date | None = None,
    include_own: bool = False,
    page: str | int | None = None,
) -> PersonVisits:
    """The person's log grouped per visit, newest first, with a summary of the period. The
    person's own visits, and the reader's (their representative), are left out unless asked
    for. Three queries whatever the size: the rows' few columns, the page's rows, their users."""
    own_ids = {pk for pk in (person.account_id, reader.pk) if pk is not None}
    visits = group_visits(person_log(person, start=start, end=end), own_ids)
    others = [visit for visit in visits if not visit.own]
    summary = VisitSummary(
        people=len({visit.actor for visit in others if visit.actor[0] is not None}),  # not Schakel's own jobs
        visits=len(others),
        emergency_visits=sum(1 for visit in others if visit.emergency),
        refused_visits=sum(1 for visit in others if visit.refused),
        own_visits=len(visits) - len(others),
    )
    shown = visits if include_own else others
    visit_page = Paginator(shown, VISITS_PER_PAGE).get_page(page)
    ids = [row_id for visit in visit_page for row_id in visit.row_ids]
    entries = AuditEntry.objects.filter(id__in=ids).select_related("acting_for") if ids else []
    return PersonVisits(summary=summary, page=visit_page, rows={entry.id: entry for entry in entries})


def paginate(rows: QuerySet[AuditEntry], page: str | int | None) -> Page[AuditEntry]:
    return Paginator(rows, PAGE_SIZE).get_page(page)


def find_users(text: str, *, limit: int = 20) -> list[User]:
    """Users whose e-mail address or name contains the text, for the DPO to pick one."""
    text = text.strip()
    if not text:
        return []
    matches = User.objects.filter(Q(email__icontains=text) | Q(full_name__icontains=text))
    return list(matches.order_by("full_name", "email")[:limit])


def user_for_search(public_id: uuid.UUID | str) -> User | None:
    try:
        return User.objects.get(public_id=public_id)
    except (User.DoesNotExist, ValueError, TypeError):
        return None


def what_user_opened(
    dpo: User, user: User, *, start: date | None = None, end: date | None = None
) -> QuerySet[AuditEntry]:
    """ "What did this user open?": the user's rows, newest first. The search is itself audited."""
    log_event(
        dpo,
        Action.AUDIT_SEARCHED,
        event=AuditEntry.Event.AUDIT_SEARCH,
        allowed=True,
        reason="granted",
        detail={
            "user": str(user.public_id),
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
    )
    rows = _in_period(AuditEntry.objects.filter(actor_id=user.pk), start, end)
    return rows.select_related("person").order_by("-created_at", "-id")
