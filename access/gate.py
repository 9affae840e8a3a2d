"""The one gate to a person's data: decide (pure), check (decide, audit, raise), explain.

Access holds only when all of these hold (docs/access.md):
1. an active relationship between the actor and the person;
2. the access matrix allows that relationship's profile the category and level;
3. consent, or a recorded legal basis, is on file (not needed for the person themself, their
   representative, or an emergency);
4. the person has not excluded the actor.
An outsider gets Denied, a 404 identical to the answer for an id that does not exist.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from django.http import Http404
from django.utils import timezone

from access import relationships
from access.models import Consent, Exclusion, MatrixCell
from access.relationships import Relationship
from accounts.models import User
from audit import services as audit
from audit.models import AuditEntry
from core import memo
from core.vocab import Category, Level
from people.models import Person


class Denied(Http404):
    """Refused by the gate. A 404 on purpose: a refusal never confirms that a person is known."""


class DossierClosed(Denied):
    """A change to a read-only (closed) dossier. Raised only to someone who could otherwise make
    the change, so it reveals nothing they cannot read; pages and the API answer it with 403 and
    its message (privacy.middleware, schakel.api)."""


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


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # "granted", "no_relationship", "matrix", "no_consent", "excluded", "inactive", "closed"
    category: str
    level: str
    relationship: str = ""
    profile: str = ""
    acting_for_id: int | None = None


def require_writable(actor: User, person: Person, decision: Decision, *, action: str) -> None:
    """Refuse a change to a read-only dossier, audited. For changes whose rule is not a write
    decision of the gate (consent, team, reporting); call it after the actor passed the gate."""
    message = write_lock(person)
    if message:
        audit.log_decision(actor, person, replace(decision, allowed=False, reason="closed"), action=action)
        raise DossierClosed(message)


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
            return _decide(actor, person, category, level, now)
    return _decide(actor, person, category, level, timezone.now())


def _decide(actor: User, person: Person, category: str, level: str, now: datetime) -> Decision:
    if not actor.is_active:
        return _deny("inactive", category, level)
    found = _relationships(actor, person, now)
    if not found:
        return _deny("no_relationship", category, level)
    # Read with the relationships (and remembered), so that later decisions in the request read nothing.
    locked = bool(write_lock(person))
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
    # Last, so that only someone who could otherwise write learns that the dossier is closed.
    if Level(level) == Level.WRITE and locked:
        return _deny("closed", category, level, chosen)
    return Decision(True, "granted", category, level, chosen.kind, chosen.profile, chosen.acting_for_id)


def check(actor: User, person: Person, category: str, level: str, *, action: str) -> Decision:
    """Decide, write the audit row (refusals too, each in its own transaction), raise if refused.

    Call it before opening the transaction of a change, so that a refusal is committed even
    when the change rolls back.
    """
    decision = decide(actor, person, category, level)
    # Reads under a break-the-glass grant are marked as such, so the person's log shows them.
    event = AuditEntry.Event.BREAK_GLASS if decision.relationship == "break_glass" else AuditEntry.Event.ACCESS
    audit.log_decision(actor, person, decision, action=action, event=event)
    if not decision.allowed:
        raise DossierClosed(write_lock(person)) if decision.reason == "closed" else Denied
    return decision


def authorise(actor: User, person: Person, decision: Decision, *, action: str, audit_granted: bool = True) -> Decision:
    """Audit a decision made by one of the special rules below and raise Denied if refused.

    A view that only checks before a service (which audits the change itself) passes
    audit_granted=False, so that one change is not logged twice; refusals are always logged.
    """
    if audit_granted or not decision.allowed:
        audit.log_decision(actor, person, decision, action=action)
    if not decision.allowed:
        raise DossierClosed(write_lock(person)) if decision.reason == "closed" else Denied
    return decision


def authorise_reads(actor: User, person: Person, granted: list[tuple[Decision, str]]) -> None:
    """Audit several granted reads of one person's data, as (decision, action), in one batch: a
    row each, committed together (the dossier page reads identity and every category it shows).
    Marked as check() marks them: a read under a break-the-glass grant as such. A refusal never
    comes here: it goes through check() or authorise(), alone, and raises."""
    if any(not decision.allowed for decision, _ in granted):
        raise ValueError("authorise_reads() logs granted reads only.")
    rows = [
        (
            decision,
            action,
            AuditEntry.Event.BREAK_GLASS if decision.relationship == "break_glass" else AuditEntry.Event.ACCESS,
        )
        for decision, action in granted
    ]
    audit.log_decisions(actor, person, rows)


def refuse_unknown(actor: User, action: str, detail: dict[str, str] | None = None) -> None:
    """Audit a request for a person id that does not exist, then raise the same 404."""
    audit.log_event(actor, action, allowed=False, reason="not_found", event="access", detail=detail)
    raise Denied


def own_rights_decision(actor: User, person: Person, now: datetime | None = None) -> Decision:
    """May the actor change consent, exclusions or mandates? Only the person themself or their
    legal representative; a mandate, a team role or coordination never suffices."""
    if not actor.is_active:
        return _deny("inactive", Category.ACP, Level.WRITE)
    found = relationships_at(actor, person, now)
    own = [rel for rel in found if rel.kind in ("self", "representative")]
    if own:
        return Decision(True, "granted", Category.ACP, Level.WRITE, own[0].kind, own[0].profile)
    if not found:
        return _deny("no_relationship", Category.ACP, Level.WRITE)
    return _deny("not_person_or_representative", Category.ACP, Level.WRITE, found[0])


def holds_recording_basis(actor: User, person: Person, now: datetime) -> bool:
    """A legal basis naming the actor that covers recording consent (the registration basis,
    people.services.REGISTRATION_LEGAL_BASIS, covers identity and acp)."""
    rows = Consent.objects.active(now).filter(person=person, basis=Consent.Basis.LEGAL_BASIS, holder=actor)
    return any(row.categories is None or Category.ACP in row.categories for row in rows)


def consent_recording_decision(actor: User, person: Person, now: datetime | None = None) -> Decision:
    """May the actor record consent? The person or their representative give it; a professional
    who holds the registration legal basis, or a team member whom the matrix lets write acp,
    records the consent the person expressed. Consent itself is not required to record it."""
    own = own_rights_decision(actor, person, now)
    if own.allowed or own.reason in ("inactive", "no_relationship"):
        return own
    found = relationships_at(actor, person, now)
    if is_excluded(person, actor, now):
        return _deny("excluded", Category.ACP, Level.WRITE, found[0])
    if holds_recording_basis(actor, person, now or timezone.now()):
        rel = found[0]
        return Decision(True, "granted", Category.ACP, Level.WRITE, rel.kind, rel.profile, rel.acting_for_id)
    decision = decide(actor, person, Category.ACP, Level.WRITE, now)
    if decision.reason == "no_consent":
        # Relationship and matrix hold (decide checks them first); the exclusion was checked above.
        rel = next(r for r in found if r.kind == decision.relationship)
        return Decision(True, "granted", Category.ACP, Level.WRITE, rel.kind, rel.profile, rel.acting_for_id)
    return decision


def is_person_or_representative(actor: User, person: Person, now: datetime | None = None) -> bool:
    """Only these may change consent, exclusions or mandates; a mandate never suffices."""
    return any(rel.kind in ("self", "representative") for rel in relationships_at(actor, person, now))


def is_coordinator(actor: User, person: Person, now: datetime | None = None) -> bool:
    return any(rel.is_coordinator for rel in relationships_at(actor, person, now))


def relationships_at(actor: User, person: Person, now: datetime | None) -> list[Relationship]:
    """The request's remembered relationships, or a fresh read at an explicit moment."""
    if now is None:
        return _relationships(actor, person, timezone.now())
    return relationships.active_relationships(actor, person, now)
