"""Early signals (PLAN-06): recording one, and marking one handled.

Any member of the care team records a signal (access.rules.records_early_signals), whether or not
they may read its category afterwards: the informal caregiver or the home-care worker often
notices first. In the same transaction the signal creates what its kind says
(plans/signals/kinds.toml): a proposed action owned by the care coordinator, or a review due
(shown on the review panel until the plan is reviewed, plans.services.record_review), and the
coordinator is told in-app, with no word of whose plan or what was noticed.
"""

from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from access import gate, rules
from accounts.models import User
from audit import services as audit
from core.actions import Action
from core.errors import Conflict
from core.vocab import Category, Level
from notifications.models import Notification
from notifications.services import notify
from people.models import Person
from plans import services as plan_services
from plans.categories import PLAN_CATEGORIES
from plans.models import EarlySignal, PlanAction
from plans.signals import kinds
from teams.models import Membership

SIGNAL_RECORDED = Action.PLANS_SIGNAL_RECORDED
SIGNAL_HANDLED = Action.PLANS_SIGNAL_HANDLED
DESCRIPTION_MAX = 2000
NOTE_MAX = 500


def coordinator_of(person: Person) -> Membership | None:
    """The care coordinator's active membership, who owns what a signal creates."""
    return Membership.objects.active().filter(person=person, is_coordinator=True).select_related("user").first()


def record_signal(actor: User, person: Person, *, kind: str, description: str = "") -> EarlySignal:
    """Record an early signal of `kind` (a code of kinds.toml), with what happened in the
    recorder's words. Creates the kind's proposed action for the coordinator (or marks the plan
    due for review) and tells the coordinator."""
    found = kinds.get(kind)
    # The rule is asked first, whatever was sent, so that an outsider gets the 404 before any
    # input is looked at; an unknown kind is asked with the plan's category.
    category = found.category if found else Category.PLAN
    decision = gate.enforce(
        actor, person, rules.records_early_signals(actor, person, category), action=SIGNAL_RECORDED, audit_granted=False
    )
    if found is None:
        raise ValidationError({"kind": _("Choose what you noticed.")}, code="unknown_kind")
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            {"description": _("Keep it to %(n)d characters.") % {"n": DESCRIPTION_MAX}}, code="too_long"
        )
    coordinator = coordinator_of(person)
    signal = EarlySignal(
        person=person, kind=found.code, category=found.category, description=description, noted_by=actor
    )
    with transaction.atomic():
        signal._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
        signal.save()
        audit.log_change(
            actor,
            person,
            SIGNAL_RECORDED,
            decision=decision,
            detail={"signal": str(signal.public_id), "kind": found.code},
        )
        if found.creates == "action" and coordinator is not None:
            signal.action = _propose_follow_up(actor, person, decision, found, coordinator, signal)
            signal._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
            signal.save(update_fields=["action"])
        if coordinator is not None and coordinator.user_id != actor.pk:
            notify(
                coordinator.user,
                Notification.Kind.EARLY_SIGNAL,
                person=person,
                params={"signal": str(signal.public_id)},
            )
    return signal


def _neutral_title(language: str | None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(_("Follow up an early signal (see the plan's early signals)"))


def _propose_follow_up(
    actor: User,
    person: Person,
    decision: gate.Decision,
    kind: kinds.SignalKind,
    coordinator: Membership,
    signal: EarlySignal,
) -> PlanAction | None:
    """The follow-up action, proposed to the coordinator in their language. The recorder may not
    write the plan (recording is the rule's right, not the matrix's), so the action is made here
    rather than by plans.services.propose_action, which asks for plan write; an action the
    coordinator records for themself is open at once, as there."""
    try:
        plan_services.check_owner(person, coordinator)
    except ValidationError:
        return None  # the person excluded their coordinator: the signal waits, flagged, for the team
    own = coordinator.user_id == actor.pk
    action = PlanAction(
        person=person,
        # A neutral title: the action is read by every reader of the plan, the signal's kind only
        # by readers of its own category (a fall is medical, an exhausted caregiver is theirs).
        title=_neutral_title(coordinator.user.language),
        owner=coordinator,
        origin=PlanAction.Origin.SIGNAL,
        status=PlanAction.Status.OPEN if own else PlanAction.Status.PROPOSED,
        accepted_at=timezone.now() if own else None,
    )
    plan_services._saved(actor, action)
    audit.log_change(
        actor,
        person,
        Action.PLANS_ACTION_PROPOSED,
        decision=replace(decision, category=PLAN_CATEGORIES["actions"]),
        detail={"action": str(action.public_id), "owner": str(coordinator.public_id), "signal": str(signal.public_id)},
    )
    return action


def handle_signal(actor: User, signal: EarlySignal, *, version: int, note: str = "") -> EarlySignal:
    """Mark a signal handled, with how it was followed up: whoever may write the plan (the
    caller has read the signal through signals.queries, gated on its category)."""
    person = signal.person
    decision = gate.check(actor, person, PLAN_CATEGORIES["actions"], Level.WRITE, action=SIGNAL_HANDLED)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Keep it to %(n)d characters.") % {"n": NOTE_MAX}}, code="too_long")
    with transaction.atomic():
        row = EarlySignal.objects.select_for_update().get(pk=signal.pk)
        if row.version != version:
            raise Conflict(_("Someone else changed this signal. Reload the page to see their change."))
        if row.status == EarlySignal.Status.HANDLED:
            raise ValidationError(_("This signal is already marked as handled."), code="already_handled")
        row.status = EarlySignal.Status.HANDLED
        row.handled_by = actor
        row.handled_at = timezone.now()
        row.handled_note = note
        row.version += 1
        row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
        row.save()
        audit.log_change(actor, person, SIGNAL_HANDLED, decision=decision, detail={"signal": str(row.public_id)})
    return row
