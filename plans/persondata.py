"""The plans app's person data in the registry (core.persondata): life goals, goals, actions,
answers to "did it help?" and reviews, with their history. Registered by PlansConfig.ready()."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from core import persondata
from core.persondata import Export, MergeOutcome, PersonData, iso, name
from core.vocab import Category, Profile
from plans.models import (
    CommunicationAgreement,
    EarlySignal,
    Goal,
    GoalScale,
    GoalScore,
    HelpAnswer,
    LifeGoal,
    PlanAction,
    PlanReview,
    ReviewMember,
    ReviewReminder,
)
from plans.services import OPEN_STATUSES
from teams.models import Membership

_PURGE = persondata.Purge("care_plan", "delete")
_PRINTED_LATER = "the plan has its own page and print; the dossier summary does not repeat it"


def _rows(model: Any) -> Any:
    # An answer to "did it help?" is dated by when it was given; the other rows by their creation.
    order = "answered_at" if model is HelpAnswer else "created_at"

    def rows(person: Any, ids: list[int]) -> list[Any]:
        return list(model.objects.filter(person_id__in=ids).order_by(order, "pk"))

    return rows


def _gas_rows(model: Any, related: tuple[str, ...]) -> Any:
    def rows(person: Any, ids: list[int]) -> list[Any]:
        return list(model.objects.filter(person_id__in=ids).select_related(*related).order_by("pk"))

    return rows


def life_goal_json(row: LifeGoal) -> dict[str, Any]:
    return {"id": str(row.public_id), "text": row.text, "written": row.written_by, "status": row.status}


def goal_json(row: Goal) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "life_goal": str(row.life_goal.public_id) if row.life_goal else None,
        "title": row.title,
        "description": row.description,
        "status": row.status,
    }


def action_json(row: PlanAction) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "goal": str(row.goal.public_id) if row.goal else None,
        "title": row.title,
        "details": row.details,
        "owner": name(row.owner.user),
        "due_on": iso(row.due_on),
        "status": row.status,
        "outcome": row.outcome,
    }


def review_json(row: PlanReview) -> dict[str, Any]:
    return {"reviewed_on": iso(row.reviewed_on), "by": name(row.reviewed_by), "with": row.with_whom, "notes": row.notes}


def scale_json(row: GoalScale) -> dict[str, Any]:
    return {
        "goal": str(row.goal.public_id),
        "version": row.number,
        "levels": {str(level): text for level, text in row.levels()},
        "baseline": row.baseline,
        "baseline_on": iso(row.baseline_on),
        "set_by": name(row.set_by),
        "changed_after_follow_up": row.changed_after_follow_up,
        "change_reason": row.change_reason,
    }


def score_json(row: GoalScore) -> dict[str, Any]:
    return {
        "goal": str(row.scale.goal.public_id),
        "scale_version": row.scale.number,
        "scored_on": iso(row.scored_on),
        "score": row.score,
        "note": row.note,
        "by": name(row.recorded_by),
    }


def help_answer_json(row: HelpAnswer) -> dict[str, Any]:
    return {
        "action": str(row.action.public_id),
        "answer": row.answer,
        "comment": row.comment,
        "answered_as": row.answered_as,
        "by": name(row.answered_by),
        "recorded_for": row.recorded_for,
        "answered_at": iso(row.answered_at),
    }


def signal_json(row: EarlySignal) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "kind": row.kind,
        "description": row.description,
        "noted_by": name(row.noted_by),
        "noted_at": iso(row.noted_at),
        "status": row.status,
        "handled_by": name(row.handled_by) if row.handled_by else None,
        "handled_at": iso(row.handled_at),
        "handled_note": row.handled_note,
    }


def _agreements(person: Any, ids: list[int]) -> list[CommunicationAgreement]:
    return list(
        CommunicationAgreement.objects.filter(person_id__in=ids)
        .select_related("first_contact__user", "line_24_7__user")
        .order_by("updated_at", "pk")
    )


def agreement_json(row: CommunicationAgreement) -> dict[str, Any]:
    return {
        "channel": row.channel,
        "first_contact": name(row.first_contact.user) if row.first_contact else None,
        "line_24_7": name(row.line_24_7.user) if row.line_24_7 else None,
        "escalation": row.escalation,
        "remarks": row.remarks,
        "updated_at": iso(row.updated_at),
    }


def merge_agreements(data: PersonData, alias: Any, target: Any, actor: AbstractBaseUser) -> MergeOutcome:
    """One current agreement per person: when both records have one, the one changed last stays;
    the other is removed, its versions kept in the history that moves to the target."""
    theirs = CommunicationAgreement.objects.filter(person=alias).first()
    ours = CommunicationAgreement.objects.filter(person=target).first()
    replaced = []
    if theirs is not None and ours is not None:
        kept, removed = (theirs, ours) if theirs.updated_at > ours.updated_at else (ours, theirs)
        removed._history_user = actor  # type: ignore[attr-defined]  # the merge removed it
        removed.delete()
        replaced.append({"agreement": "communication", "removed": str(removed.public_id), "kept": str(kept.public_id)})
    outcome = persondata.move_rows(data, alias, target)
    outcome.replaced.extend(replaced)
    return outcome


def merge_reminders(data: PersonData, alias: Any, target: Any, actor: AbstractBaseUser) -> MergeOutcome:
    """One reminder per person and overdue period: the alias's reminder for a period the target
    was reminded of too is dropped (the coordinator was told once), the others move."""
    taken = ReviewReminder.objects.filter(person=target).values_list("due_on", flat=True)
    ReviewReminder.objects.filter(person=alias, due_on__in=list(taken)).delete()
    return persondata.move_rows(data, alias, target)


def merge_actions(data: PersonData, alias: Any, target: Any, actor: AbstractBaseUser) -> MergeOutcome:
    """The actions move. An open action given to the person through the alias's `person`
    membership, which the teams merge ended because the person is on the target's team already,
    is given to the person's membership of the target record (the same person)."""
    outcome = persondata.move_rows(data, alias, target)
    now = timezone.now()
    own = Membership.objects.active(now).filter(person=target, user_id=target.account_id, profile=Profile.PERSON)
    mine = own.order_by("since", "pk").first()
    if mine is not None:
        stranded = (
            PlanAction.objects.filter(person=target, status__in=OPEN_STATUSES, owner__profile=Profile.PERSON)
            .exclude(owner=mine)
            .exclude(owner__in=Membership.objects.active(now))
        )
        given = stranded.update(owner=mine)
        if given:
            outcome.replaced.append({"actions_given_to_the_person": str(given), "membership": str(mine.public_id)})
    return outcome


def register() -> None:
    # Before the actions and reviews they point at: the purge deletes in registration order
    # within its kind.
    persondata.register(
        PersonData(
            EarlySignal,
            merge=persondata.move(),
            purge=_PURGE,
            export=persondata.not_exported(
                "each signal is read under its own category, which one export part cannot gate; "
                "the action it created is exported with the plan"
            ),
            not_printed=_PRINTED_LATER,
            history=True,
        )
    )
    # Registered from the rows that point at others to those they point at: the purge deletes in
    # this order within its kind.
    # Goal Attainment Scaling first: scores before scales before goals.
    gas: tuple[tuple[Any, Any, tuple[str, ...]], ...] = (
        (GoalScore, score_json, ("scale__goal", "recorded_by")),
        (GoalScale, scale_json, ("goal", "set_by")),
    )
    for gas_model, gas_json, related in gas:
        persondata.register(
            PersonData(
                gas_model,
                merge=persondata.move(),
                purge=_PURGE,
                export=Export(
                    "care_plan", rows=_gas_rows(gas_model, related), as_json=gas_json, category=Category.PLAN.value
                ),
                not_printed=_PRINTED_LATER,
                history=True,
            )
        )
    for model, as_json, category in (
        (HelpAnswer, help_answer_json, Category.PLAN),
        (PlanAction, action_json, Category.PLAN),
        (Goal, goal_json, Category.PLAN),
        (LifeGoal, life_goal_json, Category.WISHES),
        (PlanReview, review_json, Category.PLAN),
    ):
        persondata.register(
            PersonData(
                model,
                merge=(
                    persondata.custom(merge_actions, "the person's actions follow the person's own membership")
                    if model is PlanAction
                    else persondata.move()
                ),
                purge=_PURGE,
                export=Export("care_plan", rows=_rows(model), as_json=as_json, category=category.value),
                not_printed=_PRINTED_LATER,
                history=hasattr(model, "history"),
            )
        )
    persondata.register(
        PersonData(
            ReviewMember,
            person_path="review__person",
            merge=persondata.follow("belongs to a plan review, which moves"),
            purge=_PURGE,
            export=persondata.not_exported("the review's participants are named in the exported review"),
            not_printed=_PRINTED_LATER,
        )
    )
    persondata.register(
        PersonData(
            ReviewReminder,
            merge=persondata.custom(merge_reminders, "one reminder per person and overdue period"),
            purge=_PURGE,
            export=persondata.not_exported("a note that the coordinator was reminded, with no content of the plan"),
            not_printed="a reminder is the job's own bookkeeping",
        )
    )
    persondata.register(
        PersonData(
            CommunicationAgreement,
            merge=persondata.custom(merge_agreements, "one current agreement per person"),
            purge=_PURGE,
            export=Export("care_plan", rows=_agreements, as_json=agreement_json, category=Category.PLAN.value),
            not_printed=_PRINTED_LATER,
            history=True,
        )
    )
