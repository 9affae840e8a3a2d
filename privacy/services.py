"""Closing and reopening a dossier (docs/privacy.md). Every step passes its rule first (refusals
audited on their own), then changes and audits in one transaction.

Who may close: the care coordinator and the zone admin, for any reason; the person themself and
their legal representative, when they withdraw consent or move away. A mandate holder may not:
closing ends everyone's access, a decision over the person's rights that, like consent, a
mandate never carries. Who may reopen: the zone admin, as long as the purge has removed nothing.
"""

import uuid
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from access import gate, rules
from accounts.models import User
from audit import services as audit
from audit.models import AuditEntry
from core import memo
from core.actions import Action
from core.errors import Conflict
from core.vocab import Category, Level
from people.models import Person
from privacy.models import Closure
from teams.models import Membership
from teams.services import hand_over

CLOSE = Action.PRIVACY_DOSSIER_CLOSED
REOPEN = Action.PRIVACY_DOSSIER_REOPENED
VIEW = Action.PRIVACY_CLOSURE_VIEWED
# What the person or their representative may close for; the rest is the team's or zone's call.
PERSON_REASONS = (Closure.Reason.CONSENT_WITHDRAWN, Closure.Reason.MOVED_AWAY)
NOTE_MAX = 500


def open_closure(person: Person) -> Closure | None:
    """The closing in force, if any; remembered for the request (a dossier page asks several times)."""
    return memo.remember(
        ("open_closure", person.pk),
        lambda: Closure.objects.filter(person_id=person.pk, reopened_at=None).select_related("closed_by").first(),
    )


def write_lock(person: Person) -> str:
    """Registered with the gate (privacy.apps): the sentence a refused write shows."""
    closure = open_closure(person)
    if closure is None:
        return ""
    return _("This dossier was closed on %(date)s (%(reason)s). It can be read but no longer changed.") % {
        "date": formats.date_format(timezone.localtime(closure.closed_at), "DATE_FORMAT"),
        "reason": closure.get_reason_display(),
    }


def reasons_for(decision: gate.Decision) -> list[str]:
    if not decision.allowed:
        return []
    if rules.stands_for_the_person(decision.relationship):
        return list(PERSON_REASONS)
    return list(Closure.Reason.values)


def require_closing_right(actor: User, person: Person, *, action: str, audit_granted: bool) -> gate.Decision:
    """404 (audited) to someone who does not know the person; 403 (audited) to one who does
    but may not close; else the decision."""
    return gate.enforce(actor, person, rules.closing(actor, person), action=action, audit_granted=audit_granted)


def close_dossier(
    actor: User, person: Person, *, reason: str, event_date: date, note: str = "", version: int
) -> Closure:
    """Close the dossier now. Every team membership ends and each member's open items go to the
    handover queue (the coordinator's last, so they hear of the others'); the dossier becomes
    read-only for everyone (the gate's write lock). `version` is the person's, as read."""
    decision = require_closing_right(actor, person, action=CLOSE, audit_granted=False)
    now = timezone.now()
    errors: dict[str, list[ValidationError]] = {}
    if reason not in reasons_for(decision):
        if reason in Closure.Reason.values:
            audit.log_event(actor, CLOSE, person=person, allowed=False, reason="reason_not_allowed", event="change")
            message = _("You can close your own dossier only when you withdraw your consent or move away.")
        else:
            message = _("Choose why the dossier is closed.")
        errors["reason"] = [ValidationError(message, code="invalid_reason")]
    if event_date is None:
        errors["event_date"] = [ValidationError(_("Enter the date of the event."), code="required")]
    elif event_date > timezone.localdate(now):
        errors["event_date"] = [ValidationError(_("The date cannot lie in the future."), code="future_date")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [
            ValidationError(_("Keep the note under %(n)d characters.") % {"n": NOTE_MAX}, code="too_long")
        ]
    elif reason == Closure.Reason.OTHER and not note:
        errors["note"] = [ValidationError(_("Say in the note why the dossier is closed."), code="note_required")]
    if errors:
        raise ValidationError(errors)
    if open_closure(person) is not None:
        raise ValidationError(_("This dossier is already closed."), code="already_closed")
    try:
        with transaction.atomic():
            if not Person.objects.filter(pk=person.pk, version=version).update(version=F("version") + 1):
                raise Conflict(_("Someone else changed this dossier in the meantime. Reload the page and try again."))
            closure = Closure.objects.create(
                person=person, reason=reason, event_date=event_date, note=note, closed_at=now, closed_by=actor
            )
            audit.log_change(
                actor,
                person,
                CLOSE,
                decision=decision,
                detail={"closure": str(closure.public_id), "reason": reason, "event_date": event_date.isoformat()},
            )
            closure.ended_memberships = _end_memberships(actor, person, now)
            closure.save(update_fields=["ended_memberships"])
    except IntegrityError as error:  # someone closed it at the same moment
        raise Conflict(_("Someone else closed this dossier in the meantime.")) from error
    person.refresh_from_db()
    return closure


def _end_memberships(actor: User, person: Person, now: datetime) -> list[dict[str, object]]:
    """End every current and future membership now, through the team's handover. Returns what
    a reopening needs to restore them."""
    current = Membership.objects.filter(person=person).filter(Q(until__isnull=True) | Q(until__gt=now))
    memberships = sorted(current.select_related("user"), key=lambda m: (m.is_coordinator, m.pk))
    ended: list[dict[str, object]] = []
    for membership in memberships:
        ended.append(
            {
                "id": membership.pk,
                "until": membership.until.isoformat() if membership.until else None,
                "is_coordinator": membership.is_coordinator,
            }
        )
        Membership.objects.filter(pk=membership.pk).update(
            until=max(now, membership.since),
            is_coordinator=False,
            ended_by=actor,
            handed_over_at=now,
            version=F("version") + 1,
        )
        audit.log_change(
            actor,
            person,
            Action.TEAMS_MEMBER_ENDED,
            category=Category.TEAM,
            detail={
                "member": str(membership.user.public_id),
                "membership": str(membership.public_id),
                "was_coordinator": membership.is_coordinator,
                "reason": "dossier_closed",
            },
        )
        hand_over(actor, membership.user, person, now=now)
    return ended


def require_reopening_right(actor: User, person: Person, *, action: str) -> None:
    """Only the zone admin; someone who knows the person gets 403, anyone else 404 (audited)."""
    if rules.is_zone_admin(actor):
        return
    decision = rules.closing(actor, person)
    if not decision.allowed and decision.status == 404:
        gate.enforce(actor, person, decision, action=action)  # the outsider's 404 (an excluded user too)
    audit.log_event(actor, action, person=person, allowed=False, reason="not_zone_admin", event="change")
    refusal = gate.Decision(False, "not_zone_admin", Category.IDENTITY, Level.WRITE)
    raise gate.Refused(refusal.answered_with_403(_("Only the zone administrator can reopen a dossier.")))


def _require_own_closure(actor: User, person: Person, closure_id: uuid.UUID | str) -> None:
    """A closure id that is not one of this person's closings, unknown or another person's, is
    the same audited refusal (the outsider's 404). Checked before the change's transaction, so
    that the refusal's row is committed."""
    try:
        own = Closure.objects.filter(person_id=person.pk, public_id=closure_id).exists()
    except (ValueError, TypeError, ValidationError):
        own = False  # a malformed id: unknown, like any other
    if not own:
        gate.refuse(actor, REOPEN, {"item": str(closure_id)})


def reopen_dossier(actor: User, person: Person, *, closure_id: uuid.UUID | str, note: str) -> Closure:
    """Reopen a dossier closed by mistake (zone admin). The memberships the closing ended come
    back with their former end, unless that has passed meanwhile; their handed-over items stay
    in the queue. Refused once the purge has removed anything."""
    require_reopening_right(actor, person, action=REOPEN)
    _require_own_closure(actor, person, closure_id)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [ValidationError(_("Say why the dossier is reopened."), code="required")]})
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": [ValidationError(_("Keep the note under %(n)d characters.") % {"n": NOTE_MAX}, code="too_long")]}
        )
    now = timezone.now()
    with transaction.atomic():
        closure = Closure.objects.select_for_update().filter(person_id=person.pk, public_id=closure_id).first()
        if closure is None or closure.reopened_at is not None:
            raise Conflict(_("This dossier was reopened by someone else in the meantime."))
        if closure.purged_at is not None:
            raise ValidationError(
                _("Part of this dossier was already removed under its retention period, so it cannot be reopened."),
                code="purged",
            )
        closure.reopened_at = now
        closure.reopened_by = actor
        closure.reopen_note = note
        closure.save(update_fields=["reopened_at", "reopened_by", "reopen_note"])
        restored = _restore_memberships(closure, now)
        Person.objects.filter(pk=person.pk).update(version=F("version") + 1)
        audit.log_change(
            actor,
            person,
            REOPEN,
            decision=gate.Decision(True, "granted", Category.IDENTITY, Level.WRITE, "zone_admin", actor.profile),
            event=AuditEntry.Event.CHANGE,
            detail={"closure": str(closure.public_id), "memberships_restored": restored},
        )
    person.refresh_from_db()
    return closure


def _restore_memberships(closure: Closure, now: datetime) -> int:
    restored = 0
    for saved in closure.ended_memberships:
        until = datetime.fromisoformat(saved["until"]) if saved.get("until") else None
        if until is not None and until <= now:
            continue  # it would have ended by now anyway
        # Only a membership the closing ended (and nobody changed since) comes back.
        updated = Membership.objects.filter(pk=saved["id"], until=closure.closed_at).update(
            until=until, ended_by=None, version=F("version") + 1
        )
        restored += updated
    coordinators = [s["id"] for s in closure.ended_memberships if s.get("is_coordinator")]
    if coordinators and not Membership.objects.filter(person_id=closure.person_id, is_coordinator=True).exists():
        Membership.objects.filter(pk__in=coordinators[:1], until__isnull=True).update(is_coordinator=True)
        Membership.objects.filter(pk__in=coordinators[:1], until__gt=now).update(is_coordinator=True)
    return restored
