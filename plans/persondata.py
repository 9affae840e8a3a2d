"""The plans app's person data in the registry (core.persondata): life goals, goals, actions,
answers to "did it help?" and reviews, with their history. Registered by PlansConfig.ready()."""

from typing import Any

from core import persondata
from core.persondata import Export, PersonData, iso, name
from core.vocab import Category
from plans.models import Goal, GoalScale, GoalScore, HelpAnswer, LifeGoal, PlanAction, PlanReview

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


def register() -> None:
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
                merge=persondata.move(),
                purge=_PURGE,
                export=Export("care_plan", rows=_rows(model), as_json=as_json, category=category.value),
                not_printed=_PRINTED_LATER,
                history=hasattr(model, "history"),
            )
        )
