"""Reading the access log: the person's own view, and the DPO's search by user. Reads never
lock (the chains are locked only by writers, and only their heads)."""

import uuid
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from access import gate
from accounts.models import User
from audit.models import AuditEntry
from audit.services import log_decision, log_event
from core.vocab import Category, Level, Profile
from people import queries as people_queries
from people.models import Person

PAGE_SIZE = 50


def _in_period(rows: QuerySet[AuditEntry], start: date | None, end: date | None) -> QuerySet[AuditEntry]:
    """Whole days in the zone's time zone, both ends included."""
    if start:
        rows = rows.filter(created_at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        rows = rows.filter(created_at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))
    return rows


def person_for_log(actor: User, person_id: uuid.UUID | str, *, action: str = "audit.person_log_viewed") -> Person:
    """The person whose access log the actor asks for: only the person themself and their legal
    representative may read it (ACC-03); anyone else, a mandate holder or the care team
    included, gets the outsider's 404. Audited either way."""
    person = people_queries.resolve_person(actor, person_id, action)
    allowed = gate.is_person_or_representative(actor, person)
    decision = gate.Decision(
        allowed,
        "granted" if allowed else "not_person_or_representative",
        Category.ACP,
        Level.READ,
        relationship="self_or_representative" if allowed else "",
    )
    log_decision(actor, person, decision, action=action)
    if not allowed:
        raise gate.Denied
    return person


def person_log(person: Person, *, start: date | None = None, end: date | None = None) -> QuerySet[AuditEntry]:
    """Every access and refusal on the person's record and on any record merged into it."""
    ids = [person.pk, *person.aliases.values_list("pk", flat=True)]
    rows = _in_period(AuditEntry.objects.filter(person_id__in=ids), start, end)
    return rows.select_related("acting_for").order_by("-created_at", "-id")


def paginate(rows: QuerySet[AuditEntry], page: str | int | None) -> Page[AuditEntry]:
    return Paginator(rows, PAGE_SIZE).get_page(page)


def require_dpo(actor: User) -> None:
    """The log search is the data protection officer's alone; anyone else gets a 404 (audited)."""
    if actor.profile != Profile.DPO:
        log_event(actor, "audit.searched", event=AuditEntry.Event.AUDIT_SEARCH, allowed=False, reason="not_dpo")
        raise Http404


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
        "audit.searched",
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
