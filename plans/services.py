"""Changes to the care plan: one function per change, for pages, API, meetings and the demo alike.

Each passes the gate with the record's category (plans.categories) before its transaction, saves
with the actor so that django-simple-history keeps exactly one row per change, and writes its
audit row in the same transaction. Nothing is deleted: a goal or an action is cancelled.
"""

from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from functools import partial
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from access import gate, rules
from access.models import Exclusion
from accounts.models import User
from audit import services as audit
from core.actions import Action
from core.errors import Conflict
from core.vocab import Level
from notifications.models import Notification
from notifications.services import notify
from people.models import Person
from plans.categories import PLAN_CATEGORIES
from plans.help import services as help_services
from plans.models import EarlySignal, Goal, LifeGoal, PlanAction, PlanRecord, PlanReview, ReviewMember
from plans.signals import kinds as signal_kinds
from teams.models import Membership

Record = TypeVar("Record", LifeGoal, Goal, PlanAction)


class Keep(Enum):
    """A field a change leaves as it is, where None means "none" (no goal, no due date)."""

    KEEP = "keep"


KEEP = Keep.KEEP

# An action still to be done by its owner: these go to the handover queue when the owner leaves.
OPEN_STATUSES = (
    PlanAction.Status.PROPOSED,
    PlanAction.Status.OPEN,
    PlanAction.Status.IN_PROGRESS,
    PlanAction.Status.ON_HOLD,
)
# Finished: shown under "done and cancelled", never changed again (a new action is made instead).
CLOSED_STATUSES = (PlanAction.Status.DONE, PlanAction.Status.CANCELLED)


class StaleEdit(Conflict):
    """Someone changed the record since the user read it. Carries the current row, so that the
    page shows the new version beside the user's own input (as people.services.StaleEdit)."""

    def __init__(self, current: LifeGoal | Goal | PlanAction) -> None:
        name = str(current.updated_by) if current.updated_by_id else _("someone else")
        when = formats.date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
        super().__init__(
            _("This was changed by %(name)s at %(time)s; here is the new version.") % {"name": name, "time": when}
        )
        self.current = current


def _saved(actor: User, record: PlanRecord) -> None:
    """Save with the actor: the history row names them, the row says who changed it last."""
    now = timezone.now()
    if record._state.adding:
        record.created_by = actor
        record.created_at = now
    record.updated_by = actor
    record.updated_at = now
    record._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
    record.full_clean(exclude=["person", "created_by", "updated_by"], validate_unique=False)
    record.save()


def _belongs(record: PlanRecord | None, person: Person, what: str) -> None:
    # A caller can only pass a record of this person: anything else is a programming error that
    # would join two dossiers, never a user's mistake to explain.
    if record is not None and record.person_id != person.pk:
        raise ValueError(f"The {what} belongs to another person.")


def add_life_goal(actor: User, person: Person, *, text: str, written_by: str) -> LifeGoal:
    """A life goal in the person's own words (PLAN-01): written by the person, their
    representative, or with the coordinator; needs `wishes` write."""
    decision = gate.check(
        actor, person, PLAN_CATEGORIES["life_goals"], Level.WRITE, action=Action.PLANS_LIFE_GOAL_ADDED
    )
    goal = LifeGoal(person=person, text=text.strip(), written_by=written_by)
    with transaction.atomic():
        _saved(actor, goal)
        audit.log_change(
            actor, person, Action.PLANS_LIFE_GOAL_ADDED, decision=decision, detail={"life_goal": str(goal.public_id)}
        )
    return goal


def add_goal(
    actor: User,
    person: Person,
    *,
    title: str,
    life_goal: LifeGoal | None = None,
    description: str = "",
    weight: int = 1,
) -> Goal:
    """A care or support goal, under a life goal when there is one; needs `plan` write."""
    _belongs(life_goal, person, "life goal")
    decision = gate.check(actor, person, PLAN_CATEGORIES["goals"], Level.WRITE, action=Action.PLANS_GOAL_ADDED)
    goal = Goal(person=person, life_goal=life_goal, title=title.strip(), description=description, weight=weight)
    with transaction.atomic():
        _saved(actor, goal)
        audit.log_change(
            actor, person, Action.PLANS_GOAL_ADDED, decision=decision, detail={"goal": str(goal.public_id)}
        )
    return goal


def check_owner(person: Person, owner: Membership, now: Any = None) -> None:
    """An action's owner is an active member of the person's team whom the person has not
    excluded (a professional, an organisation's account, a caregiver or the person). Raises a
    translated ValidationError on the `owner` field otherwise."""
    now = now or timezone.now()
    active = Membership.objects.active(now).filter(pk=owner.pk, person=person).exists()
    if not active or gate.is_excluded(person, owner.user, now):
        raise ValidationError(
            {"owner": _("Choose someone who is on the care team now. The person has not excluded them.")},
            code="not_a_member",
        )


def choosable_member_ids(person: Person, now: Any = None) -> set[int]:
    """The memberships one may name in the plan (a review's participants, the communication
    agreement): active members of the person's team whom the person has not excluded."""
    excluded = Exclusion.objects.active(now).filter(person=person).values_list("excluded_id", flat=True)
    active = Membership.objects.active(now).filter(person=person).exclude(user_id__in=excluded)
    return set(active.values_list("pk", flat=True))


def propose_action(
    actor: User,
    person: Person,
    *,
    title: str,
    owner: Membership,
    goal: Goal | None = None,
    due_on: date | None = None,
    details: str = "",
    origin: str = PlanAction.Origin.PLAN,
) -> PlanAction:
    """An action with one owner (PLAN-02). Proposed until the owner accepts or declines it;
    an action someone takes on themself is open at once. The owner is told in-app, with no word
    of whose plan or which action (the page says it, behind the gate)."""
    _belongs(goal, person, "goal")
    decision = gate.check(actor, person, PLAN_CATEGORIES["actions"], Level.WRITE, action=Action.PLANS_ACTION_PROPOSED)
    check_owner(person, owner)
    own = owner.user_id == actor.pk
    action = PlanAction(
        person=person,
        goal=goal,
        title=title.strip(),
        details=details,
        owner=owner,
        due_on=due_on,
        origin=origin,
        status=PlanAction.Status.OPEN if own else PlanAction.Status.PROPOSED,
        accepted_at=timezone.now() if own else None,
    )
    with transaction.atomic():
        _saved(actor, action)
        audit.log_change(
            actor,
            person,
            Action.PLANS_ACTION_PROPOSED,
            decision=decision,
            detail={"action": str(action.public_id), "owner": str(owner.public_id)},
        )
        if not own:
            notify(
                owner.user, Notification.Kind.ACTION_PROPOSED, person=person, params={"action": str(action.public_id)}
            )
    return action


def record_review(
    actor: User,
    person: Person,
    *,
    reviewed_on: date | None = None,
    with_whom: str = "",
    notes: str = "",
    meeting_id: Any = None,
    members: Sequence[Membership] = (),
) -> PlanReview:
    """The plan looked at again as a whole (PLAN-03): who, when, with whom. A closed meeting
    records one with its id. Needs `plan` write; a review is never dated in the future.

    `members`: the team members who took part, each an active member of the person's team
    (anyone else is named in `with_whom`). The review also answers the open early signals that
    asked for one (plans/signals/kinds.toml, creates = "review"): they are marked handled by it."""
    decision = gate.check(actor, person, PLAN_CATEGORIES["reviews"], Level.WRITE, action=Action.PLANS_PLAN_REVIEWED)
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("A review is dated today or earlier.")}, code="future")
    members = list(dict.fromkeys(members))
    if any(member.pk not in choosable_member_ids(person) for member in members):
        raise ValidationError(
            {"members": _("Choose the participants among the members of the care team.")}, code="not_a_member"
        )
    review = PlanReview(
        person=person,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        with_whom=with_whom,
        notes=notes,
        meeting_id=meeting_id,
    )
    review.full_clean(exclude=["person", "reviewed_by"])
    with transaction.atomic():
        review.save()
        ReviewMember.objects.bulk_create(ReviewMember(review=review, membership=member) for member in members)
        audit.log_change(
            actor, person, Action.PLANS_PLAN_REVIEWED, decision=decision, detail={"review": str(review.public_id)}
        )
        _answer_review_signals(actor, review)
    return review


def _answer_review_signals(actor: User, review: PlanReview) -> None:
    """The open early signals that asked for a review are handled by this one (PLAN-06)."""
    now = timezone.now()
    for signal in EarlySignal.objects.select_for_update().filter(
        person=review.person, status=EarlySignal.Status.OPEN, kind__in=signal_kinds.review_codes()
    ):
        signal.status = EarlySignal.Status.HANDLED
        signal.handled_by = actor
        signal.handled_at = now
        signal.review = review
        signal.version += 1
        signal._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
        signal.save()


# ── Changes to what exists ───────────────────────────────────────────────────────────────────
#
# Each change names the version the user read. Inside the transaction the row is locked and its
# version compared: of two changes made from the same version exactly one is kept, the other
# raises StaleEdit with the row as it is now. An unchanged row is left alone.


def _locked(record: Record, version: int) -> Record:
    row = type(record).objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=record.pk)
    if row.version != version:
        raise StaleEdit(row)
    return row


def _apply(row: Record, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def _change(
    actor: User,
    record: Record,
    *,
    version: int,
    decision: gate.Decision,
    action: str,
    fields: dict[str, Any],
    check: Callable[[Record], None] | None = None,
    after: Callable[[Record], None] | None = None,
) -> Record:
    """Lock, compare the version, run `check` on the current row (a ValidationError changes
    nothing), set the fields, save with the actor and audit: one history row per change."""
    with transaction.atomic():
        row = _locked(record, version)
        if check is not None:
            check(row)
        changed = _apply(row, fields)
        if not changed:
            return row
        row.version += 1
        _saved(actor, row)
        audit.log_change(
            actor,
            record.person,
            action,
            decision=decision,
            # Field names only: the access log says what changed, never the plan's words.
            detail={"record": str(row.public_id), "fields": sorted(changed)},
        )
        if after is not None:
            after(row)
    return row


def change_life_goal(
    actor: User,
    life_goal: LifeGoal,
    *,
    version: int,
    text: str | None = None,
    written_by: str | None = None,
    status: str | None = None,
) -> LifeGoal:
    """Change a life goal's words, who wrote it, or its status (pursued, reached, no longer
    pursued); needs `wishes` write."""
    person = life_goal.person
    decision = gate.check(
        actor, person, PLAN_CATEGORIES["life_goals"], Level.WRITE, action=Action.PLANS_LIFE_GOAL_CHANGED
    )
    fields: dict[str, Any] = {}
    if text is not None:
        fields["text"] = text.strip()
    if written_by is not None:
        fields["written_by"] = written_by
    if status is not None:
        fields["status"] = status
    return _change(
        actor, life_goal, version=version, decision=decision, action=Action.PLANS_LIFE_GOAL_CHANGED, fields=fields
    )


def change_goal(
    actor: User,
    goal: Goal,
    *,
    version: int,
    title: str | None = None,
    description: str | None = None,
    life_goal: LifeGoal | Keep | None = KEEP,
    status: str | None = None,
    weight: int | None = None,
) -> Goal:
    """Change a care or support goal; needs `plan` write. `life_goal`: False leaves it as it
    is (KEEP), None takes the goal from under its life goal."""
    person = goal.person
    if not isinstance(life_goal, Keep):
        _belongs(life_goal, person, "life goal")
    decision = gate.check(actor, person, PLAN_CATEGORIES["goals"], Level.WRITE, action=Action.PLANS_GOAL_CHANGED)
    fields: dict[str, Any] = {}
    if title is not None:
        fields["title"] = title.strip()
    if description is not None:
        fields["description"] = description
    if not isinstance(life_goal, Keep):
        fields["life_goal"] = life_goal
    if status is not None:
        fields["status"] = status
    if weight is not None:
        fields["weight"] = weight
    return _change(actor, goal, version=version, decision=decision, action=Action.PLANS_GOAL_CHANGED, fields=fields)


def _not_closed(row: PlanAction) -> None:
    if row.status in CLOSED_STATUSES:
        raise ValidationError(
            _("This action is %(status)s and stays as it was. Add a new action instead.")
            % {"status": row.get_status_display()},
            code="closed",
        )


def change_action(
    actor: User,
    action: PlanAction,
    *,
    version: int,
    title: str | None = None,
    details: str | None = None,
    due_on: date | Keep | None = KEEP,
    goal: Goal | Keep | None = KEEP,
) -> PlanAction:
    """Change what an action is, by when and under which goal; needs `plan` write. The owner and
    the status change by their own functions (reassign_action, change_action_status, ...).
    `due_on`, `goal`: KEEP leaves them as they are."""
    person = action.person
    if not isinstance(goal, Keep):
        _belongs(goal, person, "goal")
    decision = gate.check(actor, person, PLAN_CATEGORIES["actions"], Level.WRITE, action=Action.PLANS_ACTION_CHANGED)
    fields: dict[str, Any] = {}
    if title is not None:
        fields["title"] = title.strip()
    if details is not None:
        fields["details"] = details
    if not isinstance(due_on, Keep):
        fields["due_on"] = due_on
    if not isinstance(goal, Keep):
        fields["goal"] = goal
    return _change(
        actor,
        action,
        version=version,
        decision=decision,
        action=Action.PLANS_ACTION_CHANGED,
        fields=fields,
        check=_not_closed,
    )


def _owner_is_active(action: PlanAction, now: Any = None) -> bool:
    owner = action.owner
    now = now or timezone.now()
    return owner.since <= now and (owner.until is None or owner.until > now)


def owner_decision(actor: User, action: PlanAction, *, write: bool) -> gate.Decision:
    """The rule for the action's owner (access.rules): `write` to answer or move it along,
    otherwise to open it. Not audited: the caller enforces it."""
    rule = rules.owns_action if write else rules.reads_own_action
    return rule(actor, action.person, action.owner.user_id, owner_active=_owner_is_active(action))


def accept_action(actor: User, action: PlanAction, *, version: int) -> PlanAction:
    """The owner takes on a proposed action: it is theirs to do now (open). Only the owner, who
    need not write the plan (a caregiver, a neighbour)."""
    person = action.person
    decision = gate.enforce(
        actor, person, owner_decision(actor, action, write=True), action=Action.PLANS_ACTION_ACCEPTED
    )

    def proposed(row: PlanAction) -> None:
        if row.status != PlanAction.Status.PROPOSED:
            raise ValidationError(_("Only a proposed action is accepted or declined."), code="not_proposed")

    return _change(
        actor,
        action,
        version=version,
        decision=decision,
        action=Action.PLANS_ACTION_ACCEPTED,
        fields={"status": PlanAction.Status.OPEN, "accepted_at": timezone.now(), "decline_reason": ""},
        check=proposed,
    )


def _coordinators(person: Person) -> list[User]:
    members = Membership.objects.active().filter(person=person, is_coordinator=True).select_related("user")
    return [membership.user for membership in members]


def decline_action(actor: User, action: PlanAction, *, version: int, reason: str) -> PlanAction:
    """The owner declines a proposed action, saying why: it goes back to the care coordinator
    (status declined, the coordinator is told), who gives it to someone else or cancels it."""
    person = action.person
    decision = gate.enforce(
        actor, person, owner_decision(actor, action, write=True), action=Action.PLANS_ACTION_DECLINED
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline, so that the coordinator can find someone else.")})

    def proposed(row: PlanAction) -> None:
        if row.status != PlanAction.Status.PROPOSED:
            raise ValidationError(_("Only a proposed action is accepted or declined."), code="not_proposed")

    def tell_the_coordinator(row: PlanAction) -> None:
        for coordinator in _coordinators(person):
            if coordinator.pk != actor.pk:
                notify(
                    coordinator,
                    Notification.Kind.ACTION_DECLINED,
                    person=person,
                    params={"action": str(row.public_id)},
                )

    return _change(
        actor,
        action,
        version=version,
        decision=decision,
        action=Action.PLANS_ACTION_DECLINED,
        fields={"status": PlanAction.Status.DECLINED, "decline_reason": reason[:500]},
        check=proposed,
        after=tell_the_coordinator,
    )


# Who moves an action along, from where to where (docs/decisions.md, issue 12). Accepting and
# declining a proposed action are the owner's own answers (accept_action, decline_action);
# cancelling is for those who write the plan (cancel_action).
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    PlanAction.Status.OPEN: (PlanAction.Status.IN_PROGRESS, PlanAction.Status.DONE, PlanAction.Status.ON_HOLD),
    PlanAction.Status.IN_PROGRESS: (PlanAction.Status.OPEN, PlanAction.Status.DONE, PlanAction.Status.ON_HOLD),
    PlanAction.Status.ON_HOLD: (PlanAction.Status.OPEN, PlanAction.Status.IN_PROGRESS),
}


def moves_action(actor: User, action: PlanAction) -> gate.Decision:
    """May the actor move the action along (change_action_status)? Those who write the plan,
    and the action's owner. The refusal is the gate's for a write of the plan: a 403 for a
    reader of the plan, the outsider's 404 for anyone else. Not audited: the caller enforces."""
    write = gate.decide(actor, action.person, PLAN_CATEGORIES["actions"], Level.WRITE)
    if not write.allowed:
        own = owner_decision(actor, action, write=True)
        if own.allowed:
            return own
    return write


def status_choices(action: PlanAction) -> tuple[str, ...]:
    """Where the action's owner (or a writer of the plan) can move it from its status."""
    return STATUS_MOVES.get(action.status, ())


def change_action_status(
    actor: User, action: PlanAction, *, version: int, status: str, outcome: str = "", hold_reason: str = ""
) -> PlanAction:
    """Move an action along: open → in progress → done (with its outcome), or on hold (with the
    reason) and back. Its owner may, and so may those who write the plan."""
    decision = gate.enforce(
        actor, action.person, moves_action(actor, action), action=Action.PLANS_ACTION_STATUS_CHANGED
    )
    outcome, hold_reason = outcome.strip(), hold_reason.strip()
    if status == PlanAction.Status.DONE and not outcome:
        raise ValidationError({"outcome": _("Say what came of it: the outcome is part of the plan.")})
    if status == PlanAction.Status.ON_HOLD and not hold_reason:
        raise ValidationError({"hold_reason": _("Say why the action waits, so that the team knows.")})

    def allowed_move(row: PlanAction) -> None:
        if status not in STATUS_MOVES.get(row.status, ()):
            raise ValidationError(
                {
                    "status": _("An action that is %(status)s cannot be set to this status.")
                    % {"status": row.get_status_display()}
                },
                code="invalid_move",
            )

    def ask_whether_it_helped(row: PlanAction) -> None:
        # PLAN-04: once done, the person and their circle are asked, after the commit.
        if row.status == PlanAction.Status.DONE:
            transaction.on_commit(partial(help_services.ask_did_it_help, row))

    fields: dict[str, Any] = {"status": status}
    if status == PlanAction.Status.DONE:
        fields.update(outcome=outcome[:2000], done_at=timezone.now())
    if status == PlanAction.Status.ON_HOLD:
        fields["hold_reason"] = hold_reason[:300]
    return _change(
        actor,
        action,
        version=version,
        decision=decision,
        action=Action.PLANS_ACTION_STATUS_CHANGED,
        fields=fields,
        check=allowed_move,
        after=ask_whether_it_helped,
    )


def cancel_action(actor: User, action: PlanAction, *, version: int, reason: str = "") -> PlanAction:
    """Cancel an action that is not done: it stays in the plan, under "done and cancelled", with
    the reason as its outcome. Needs `plan` write; the page asks for a confirmation first."""
    decision = gate.check(
        actor, action.person, PLAN_CATEGORIES["actions"], Level.WRITE, action=Action.PLANS_ACTION_CANCELLED
    )
    fields: dict[str, Any] = {"status": PlanAction.Status.CANCELLED}
    if reason.strip():
        fields["outcome"] = reason.strip()[:2000]
    return _change(
        actor,
        action,
        version=version,
        decision=decision,
        action=Action.PLANS_ACTION_CANCELLED,
        fields=fields,
        check=_not_closed,
    )


def proposed_to(owner: Membership, taker: User) -> dict[str, Any]:
    """The fields of an action given to `owner` by `taker`: open at once when they take it on
    themself, proposed otherwise (they accept or decline)."""
    own = owner.user_id == taker.pk
    return {
        "owner": owner,
        "status": PlanAction.Status.OPEN if own else PlanAction.Status.PROPOSED,
        "accepted_at": timezone.now() if own else None,
        "decline_reason": "",
    }


def reassign_action(actor: User, action: PlanAction, *, version: int, owner: Membership) -> PlanAction:
    """Give an action to another member of the team (after a decline, or when plans change): it
    is proposed to them again, and they are told; given to oneself it is open at once. Needs
    `plan` write; the owner rules of propose_action hold."""
    person = action.person
    decision = gate.check(actor, person, PLAN_CATEGORIES["actions"], Level.WRITE, action=Action.PLANS_ACTION_REASSIGNED)
    check_owner(person, owner)

    def reassignable(row: PlanAction) -> None:
        _not_closed(row)
        if row.owner_id == owner.pk and row.status != PlanAction.Status.DECLINED:
            raise ValidationError({"owner": _("The action is already theirs.")}, code="same_owner")

    def tell_the_owner(row: PlanAction) -> None:
        if row.status == PlanAction.Status.PROPOSED:
            notify(owner.user, Notification.Kind.ACTION_PROPOSED, person=person, params={"action": str(row.public_id)})

    return _change(
        actor,
        action,
        version=version,
        decision=decision,
        action=Action.PLANS_ACTION_REASSIGNED,
        fields=proposed_to(owner, actor),
        check=reassignable,
        after=tell_the_owner,
    )
