"""Changes to Goal Attainment Scaling: set or change a goal's scale, record or change a score.

Each passes the gate for writing the plan before its transaction (so a refusal stays in the
access log), validates first (bad input changes nothing), checks the version the user read
(exactly one of two concurrent edits wins) and writes its audit row in the same transaction.

The lock rule: a scale is changed in place until its first follow-up score; from then on a
change makes a new version (a new GoalScale row, flagged, with a required reason), and the
earlier version keeps its texts and its scores.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from access import gate
from accounts.models import User
from audit import services as audit
from core.actions import Action
from core.errors import Conflict
from core.vocab import Level
from plans.categories import PLAN_CATEGORIES
from plans.models import Attainment, Goal, GoalScale, GoalScore

CATEGORY = PLAN_CATEGORIES["goals"]


@dataclass(frozen=True)
class ScaleInput:
    """What the user wrote for a scale: the five level texts from -2 to +2 and the baseline."""

    levels: tuple[str, str, str, str, str]
    baseline: int | None
    baseline_on: date | None


def current_scale(goal: Goal) -> GoalScale | None:
    return GoalScale.objects.filter(goal=goal).order_by("-number").first()


def _open_goal(goal: Goal) -> None:
    if goal.status == Goal.Status.CANCELLED:
        raise ValidationError(_("This goal is cancelled: its scale and scores stay as they are."), code="cancelled")


def _level(value: int | None, field: str) -> int:
    if value is None or value not in Attainment.values:
        raise ValidationError({field: _("Choose a level from −2 to +2.")}, code="level")
    return int(value)


def _past(value: date | None, field: str) -> date:
    if value is None:
        raise ValidationError({field: _("Give the date.")}, code="required")
    if value > timezone.localdate():
        raise ValidationError({field: _("The date is today or earlier.")}, code="future")
    return value


def _clean(data: ScaleInput) -> tuple[list[str], int, date]:
    """The scale's texts, baseline and its date, or a ValidationError per field."""
    errors: dict[str, list[str]] = {}
    texts = [" ".join((text or "").split()) for text in data.levels]
    if len(texts) != 5:
        raise ValueError("A scale has five levels.")
    seen: set[str] = set()
    for field, text in zip(GoalScale.LEVEL_FIELDS, texts, strict=True):
        if not text:
            errors.setdefault(field, []).append(_("Describe this level for this goal."))
        elif len(text) > 300:
            errors.setdefault(field, []).append(_("Keep it under 300 characters."))
        elif text.casefold() in seen:
            errors.setdefault(field, []).append(_("Each level needs its own description."))
        seen.add(text.casefold())
    baseline = baseline_on = None
    try:
        baseline = _level(data.baseline, "baseline")
    except ValidationError as error:
        errors["baseline"] = error.messages
    try:
        baseline_on = _past(data.baseline_on, "baseline_on")
    except ValidationError as error:
        errors["baseline_on"] = error.messages
    if errors or baseline is None or baseline_on is None:
        raise ValidationError(errors)
    return texts, baseline, baseline_on


def _same(scale: GoalScale, texts: list[str], baseline: int, baseline_on: date) -> bool:
    return [text for _level, text in scale.levels()] == texts and (scale.baseline, scale.baseline_on) == (
        baseline,
        baseline_on,
    )


def _stale(scale: GoalScale | None) -> Conflict:
    if scale is None:
        return Conflict(_("This scale is no longer as you read it. Reload the page to see it."))
    when = formats.date_format(timezone.localtime(scale.set_at), "DATETIME_FORMAT")
    return Conflict(
        _("%(name)s changed this scale at %(time)s. Reload the page to see their version.")
        % {"name": scale.set_by, "time": when}
    )


def set_scale(actor: User, goal: Goal, data: ScaleInput, *, version: int, reason: str = "") -> GoalScale:
    """Set a goal's scale, or change it (`version`: the version the user read; 0 when there was
    no scale yet). Before the first follow-up score the scale changes in place; after it, a new
    version is made, flagged and with the reason, which is then required."""
    person = goal.person
    decision = gate.check(actor, person, CATEGORY, Level.WRITE, action=Action.PLANS_GAS_SCALE_SET)
    _open_goal(goal)
    texts, baseline, baseline_on = _clean(data)
    reason = " ".join(reason.split())
    now = timezone.now()
    try:
        with transaction.atomic():
            # The lock makes a second writer wait for the first and then see its version.
            current = GoalScale.objects.select_for_update().filter(goal=goal).order_by("-number").first()
            if (current.version if current else 0) != version:
                raise _stale(current)
            if current is not None and _same(current, texts, baseline, baseline_on):
                return current
            if current is None or current.locked_at is None:
                scale = current or GoalScale(person=person, goal=goal, number=1, version=0)
                action = Action.PLANS_GAS_SCALE_SET if current is None else Action.PLANS_GAS_SCALE_CHANGED
            else:
                if not reason:
                    raise ValidationError(
                        {
                            "reason": _(
                                "This scale has follow-up scores: say why it changes. The new version is flagged."
                            )
                        },
                        code="reason_required",
                    )
                if len(reason) > 500:
                    raise ValidationError({"reason": _("Keep it under 500 characters.")}, code="too_long")
                current.superseded_at = now
                current._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
                current.save(update_fields=["superseded_at"])
                scale = GoalScale(
                    person=person,
                    goal=goal,
                    number=current.number + 1,
                    version=current.version,
                    changed_after_follow_up=True,
                    change_reason=reason,
                )
                action = Action.PLANS_GAS_SCALE_VERSIONED
            for field, text in zip(GoalScale.LEVEL_FIELDS, texts, strict=True):
                setattr(scale, field, text)
            scale.baseline, scale.baseline_on = baseline, baseline_on
            scale.set_by, scale.set_at = actor, now
            scale.version += 1
            scale._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
            scale.save()
            audit.log_change(
                actor,
                person,
                action,
                decision=decision,
                detail={"goal": str(goal.public_id), "scale": str(scale.public_id), "number": scale.number},
            )
    except IntegrityError as error:  # a first save or a new version at the same moment
        raise _stale(current_scale(goal)) from error
    return scale


def _stale_score(score: GoalScore) -> Conflict:
    when = formats.date_format(timezone.localtime(score.recorded_at), "DATETIME_FORMAT")
    return Conflict(
        _("This goal already has a score on %(date)s, recorded by %(name)s at %(time)s. Open that score to change it.")
        % {"date": formats.date_format(score.scored_on), "name": score.recorded_by, "time": when}
    )


def record_score(
    actor: User,
    goal: Goal,
    *,
    scored_on: date | None,
    score: int | None,
    note: str = "",
    version: int | None = None,
) -> GoalScore:
    """A follow-up score of the goal on its current scale. One per scale and date: without
    `version` a second score that day is a Conflict; with the version of the day's score (as the
    user read it) it changes that score. The first follow-up locks the scale."""
    person = goal.person
    action = Action.PLANS_GAS_SCORED if version is None else Action.PLANS_GAS_SCORE_CHANGED
    decision = gate.check(actor, person, CATEGORY, Level.WRITE, action=action)
    _open_goal(goal)
    scale = current_scale(goal)
    if scale is None:
        raise ValidationError(_("Set the goal's scale and its baseline before scoring it."), code="no_scale")
    errors: dict[str, list[str]] = {}
    try:
        score = _level(score, "score")
    except ValidationError as error:
        errors["score"] = error.messages
    try:
        scored_on = _past(scored_on, "scored_on")
    except ValidationError as error:
        errors["scored_on"] = error.messages
    else:
        if scored_on < scale.baseline_on:
            errors["scored_on"] = [
                _("A follow-up is dated on or after the baseline (%(date)s).")
                % {"date": formats.date_format(scale.baseline_on)}
            ]
    note = note.strip()
    if len(note) > 1000:
        errors["note"] = [_("Keep it under 1000 characters.")]
    if errors or score is None or scored_on is None:
        raise ValidationError(errors)
    now = timezone.now()
    try:
        with transaction.atomic():
            existing = GoalScore.objects.select_for_update().filter(scale=scale, scored_on=scored_on).first()
            if existing is not None:
                if version != existing.version:
                    raise _stale_score(existing)
                if (existing.score, existing.note) == (score, note):
                    return existing
                row = existing
                row.version += 1
            elif version is not None:
                raise Conflict(_("This score is no longer there. Reload the page to see the scores."))
            else:
                row = GoalScore(person=person, scale=scale, scored_on=scored_on)
            row.score, row.note = score, note
            row.recorded_by, row.recorded_at = actor, now
            row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
            row.save()
            if scale.locked_at is None:
                # The first follow-up: from now on a change of the scale makes a new version.
                GoalScale.objects.filter(pk=scale.pk, locked_at=None).update(locked_at=now)
            audit.log_change(
                actor,
                person,
                action,
                decision=decision,
                detail={"goal": str(goal.public_id), "score": str(row.public_id), "scored_on": scored_on.isoformat()},
            )
    except IntegrityError as error:  # the same day scored by someone else at the same moment
        raise _stale_score(GoalScore.objects.get(scale=scale, scored_on=scored_on)) from error
    return row
