"""The one gate to a person's data. Access holds only when all of these hold (docs/access.md):
1. an active relationship between the actor and the person;
2. the access matrix allows that relationship's profile the category and level;
3. consent, or a recorded legal basis, is on file (not needed for the person themself, their
   representative, or an emergency);
4. the person has not excluded the actor.

Its entry points (docs/access.md, "The gate's entry points"):
- decide(): the pure decision for a matrix cell; writes nothing.
- check(): decide, audit, raise Refused for one access to a category.
- enforce(): audit and raise for a decision made by a rule of access.rules (own rights, consent
  recording, closing a dossier, ...).
- audit_reads(): audit a batch of granted reads of one dossier (the dossier page).
- audit_listed(): audit the granted identity reads of a list of persons (a home page).
- refuse(): an audited refusal with no decision behind it (an id that does not exist).
A refusal is the exception Refused; its decision says whether it is answered 404 (the outsider's
answer, identical to an unknown id) or 403 with a sentence.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NoReturn

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from access import relationships
from access.models import Consent, Exclusion, MatrixCell
from access.relationships import Relationship
from accounts.models import User
from audit import services as audit
from audit.models import AuditEntry
from core import memo
from core.vocab import Level
from people.models import Person


@dataclass(frozen=True)
class Decision:
    """What the gate, or a rule of access.rules, decided; for a refusal also how it is answered.

    A refusal is a 404 by default, the outsider's answer, identical to an unknown id: it never
    confirms that the person is known. It is a 403 with a sentence (`message`) only when the
    actor already knows the dossier, so that a 404 would hide nothing and only confuse: a write
    refused to someone who may read the same category, a change to a closed dossier, a rule
    refused to someone around the person."""

    allowed: bool
    reason: str  # "granted", "no_relationship", "matrix", "no_consent", "excluded", "inactive", "closed", ...
    category: str
    level: str
    relationship: str = ""
    profile: str = ""
    acting_for_id: int | None = None
    status: int = 404  # how a refusal is answered: 404, or 403 with the message
    message: str = ""

    def answered_with_403(self, message: Any) -> "Decision":
        """This refusal, answered 403 with the message (for someone who knows the dossier)."""
        return replace(self, status=403, message=str(message))


class Refused(Http404):
    """The one exception for a refusal by the gate or a rule. It carries the decision, which says
    how it is answered (access.middleware for pages, schakel.api for the API). An Http404, so that
    anything that does not look at the decision still gives the outsider's answer."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


# Apps that can make a whole dossier read-only register a lock in their AppConfig.ready()
# (privacy: a closed dossier). A lock returns a translated sentence when writes must be refused.
_WRITE_LOCKS: list[Callable[[Person], str]] = []


def register_write_lock(lock: Callable[[Person], str]) -> None:
    if lock not in _WRITE_LOCKS:
        _WRITE_LOCKS.append(lock)


def write_lock(person: Person) -> str:
    """Why the person's dossier is read-only, or "" when it is not (remembered per request)."""
    return memo.remember(
        ("write_lock", person.pk), lambda: next(filter(None, (lock(person) for lock in _WRITE_LOCKS)), "")
    )


def unless_closed(decision: Decision, person: Person) -> Decision:
    """A granted change refused when the dossier is read-only (closed): a 403 that says why.
    Applied last, so that only someone who could otherwise make the change learns it."""
    message = write_lock(person) if decision.allowed else ""
    if not message:
        return decision
    return replace(decision, allowed=False, reason="closed").answered_with_403(message)


def _deny(reason: str, category: str, level: str, rel: Relationship | None = None) -> Decision:
    return Decision(False, reason, category, level, rel.kind if rel else "", rel.profile if rel else "")


def matrix_levels(profiles: set[str], category: str) -> dict[str, str]:
    # Three columns as tuples: every request reads the whole matrix (some 250 cells), and model
    # instances with their rationale texts cost more than the decision itself.
    matrix = memo.remember(
        ("matrix",),
        lambda: {(p, c): level for p, c, level in MatrixCell.objects.values_list("profile", "category", "level")},
    )
    return {profile: matrix[(profile, category)] for profile in profiles if (profile, category) in matrix}


def _active_consents(person: Person, now: datetime) -> list[Consent]:
    return list(Consent.objects.active(now).filter(person=person))


def has_consent_or_legal_basis(person: Person, actor: User, category: str, now: datetime) -> bool:
    for consent in memo.remember(("consents", person.pk), lambda: _active_consents(person, now)):
        if consent.holder_id not in (None, actor.pk):
            continue
        if consent.categories is None or category in consent.categories:
            return True
    return False


def is_excluded(person: Person, actor: User, now: datetime | None = None) -> bool:
    return memo.remember(
        ("excluded", person.pk, actor.pk),
        lambda: Exclusion.objects.active(now).filter(person=person, excluded=actor).exists(),
    )


def _relationships(actor: User, person: Person, now: datetime) -> list[Relationship]:
    return memo.remember(
        ("relationships", actor.pk, person.pk), lambda: relationships.active_relationships(actor, person, now)
    )


def decide(actor: User, person: Person, category: str, level: str, now: datetime | None = None) -> Decision:
    """Pure: reads the database, writes nothing. Within a request, what it reads is remembered
    (core.memo); a decision at an explicit moment (`now`) always reads afresh."""
    if now is not None:
        with memo.request_memo():  # a private memo: nothing remembered leaks in or out
            return _answered(actor, person, _decide(actor, person, category, level, now), now)
    now = timezone.now()
    return _answered(actor, person, _decide(actor, person, category, level, now), now)


def _decide(actor: User, person: Person, category: str, level: str, now: datetime) -> Decision:
    if not actor.is_active:
        return _deny("inactive", category, level)
    found = _relationships(actor, person, now)
    if not found:
        return _deny("no_relationship", category, level)
    # Read with the relationships (and remembered), so that later decisions in the request read nothing.
    write_lock(person)
    levels = matrix_levels({rel.profile for rel in found}, category)
    permitted = [
        rel
        for rel in found
        if rel.covers(category, level) and Level(levels.get(rel.profile, Level.NONE)).covers(Level(level))
    ]
    if not permitted:
        return _deny("matrix", category, level, found[0])
    without_consent = [rel for rel in permitted if not rel.needs_consent]
    if without_consent:
        chosen = without_consent[0]
    elif has_consent_or_legal_basis(person, actor, category, now):
        chosen = permitted[0]
    else:
        return _deny("no_consent", category, level, permitted[0])
    if is_excluded(person, actor, now):
        return _deny("excluded", category, level, chosen)
    granted = Decision(True, "granted", category, level, chosen.kind, chosen.profile, chosen.acting_for_id)
    # Last, so that only someone who could otherwise write learns that the dossier is closed.
    return unless_closed(granted, person) if Level(level) == Level.WRITE else granted


def _answered(actor: User, person: Person, decision: Decision, now: datetime) -> Decision:
    """A write refused by the matrix or for want of consent to someone who may read the same
    category is a 403: they know the dossier already, so a 404 would hide nothing."""
    if decision.allowed or decision.level != Level.WRITE or decision.reason not in ("matrix", "no_consent"):
        return decision
    if not _decide(actor, person, decision.category, Level.READ, now).allowed:
        return decision
    return decision.answered_with_403(_("You may read this but not change it."))


def _event(decision: Decision, event: str) -> str:
    # Accesses under a break-the-glass grant are marked as such, so the person's log shows them.
    return AuditEntry.Event.BREAK_GLASS if decision.relationship == "break_glass" else event


def check(
    actor: User, person: Person, category: str, level: str, *, action: str, adds_to_dossier: bool = False
) -> Decision:
    """Decide one access to a category, write the audit row (refusals too, each in its own
    transaction), raise Refused if refused. The entry point for reading or changing a category.

    `adds_to_dossier`: a right at read level that still adds to the dossier (reporting a
    medication problem), so a closed dossier refuses it as it refuses a write.
    Call it before opening the transaction of a change, so that a refusal is committed even
    when the change rolls back.
    """
    decision = decide(actor, person, category, level)
    if adds_to_dossier:
        decision = unless_closed(decision, person)
    return enforce(actor, person, decision, action=action)


def enforce(
    actor: User,
    person: Person,
    decision: Decision,
    *,
    action: str,
    audit_granted: bool = True,
    event: str = "",
    detail: dict[str, str] | None = None,
) -> Decision:
    """Audit a decision made by a rule (access.rules) or by decide(), and raise Refused if refused.

    A view that only checks before a service (which checks again and audits the change itself)
    passes audit_granted=False, so that one change is not logged twice; refusals are always
    logged.
    """
    if audit_granted or not decision.allowed:
        event = _event(decision, event or AuditEntry.Event.ACCESS)
        audit.log_decision(actor, person, decision, action=action, event=event, detail=detail)
    if not decision.allowed:
        raise Refused(decision)
    return decision


def audit_reads(actor: User, person: Person, granted: list[tuple[Decision, str]]) -> None:
    """Audit several granted reads of one person's data, as (decision, action), in one batch: a
    row each, committed together (the dossier page reads identity and every category it shows).
    Marked as check() marks them: a read under a break-the-glass grant as such. A refusal never
    comes here: it goes through check() or enforce(), alone, and raises."""
    if any(not decision.allowed for decision, _action in granted):
        raise ValueError("audit_reads() logs granted reads only.")
    rows = [(decision, action, _event(decision, AuditEntry.Event.ACCESS)) for decision, action in granted]
    audit.log_decisions(actor, person, rows)


def audit_listed(actor: User, listed: list[tuple[Person, Decision]], *, action: str) -> None:
    """Audit the granted identity reads of a list of persons (a home page's list), as (person,
    decision): a row in each listed person's log, committed together, marked as check() marks
    them. Only granted reads come here: a person the gate refuses is left out of the list, and
    so out of the log too (nobody asked for them)."""
    if any(not decision.allowed for _person, decision in listed):
        raise ValueError("audit_listed() logs granted reads only.")
    rows = [(person, decision, action, _event(decision, AuditEntry.Event.ACCESS)) for person, decision in listed]
    audit.log_decisions_about_persons(actor, rows)


# What a refused request's detail keeps of each value it sent: enough for any id, never a payload.
REFUSED_DETAIL_CHARS = 64


def refuse(actor: User, action: str, detail: dict[str, str] | None = None, *, reason: str = "not_found") -> NoReturn:
    """Audit a refusal that has no decision behind it (an id that does not exist), then raise
    the outsider's 404: the same answer as the gate gives a refusal. The detail holds what the
    requester sent (an id, perhaps malformed), so each value is kept bounded."""
    bounded = {key: str(value)[:REFUSED_DETAIL_CHARS] for key, value in (detail or {}).items()}
    audit.log_event(actor, action, allowed=False, reason=reason, event=AuditEntry.Event.ACCESS, detail=bounded)
    raise Refused(Decision(False, reason, "", ""))


def relationships_at(actor: User, person: Person, now: datetime | None) -> list[Relationship]:
    """The request's remembered relationships, or a fresh read at an explicit moment."""
    if now is None:
        return _relationships(actor, person, timezone.now())
    return relationships.active_relationships(actor, person, now)
