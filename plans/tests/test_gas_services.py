"""Goal Attainment Scaling changes: a scale has five distinct levels and a baseline; it changes in
place until the first follow-up score locks it, then a change makes a new, flagged version with
a reason while the earlier one keeps its scores; one score per scale and date; concurrent edits:
exactly one wins; the gate decides who may score."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from access.gate import Refused
from audit.models import AuditEntry
from core.actions import Action
from core.errors import Conflict
from plans.gas import services
from plans.models import GoalScale, GoalScore
from plans.tests.factories import goal
from plans.tests.gas_factories import STAIRS, scale_input, score, set_scale

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    """2 March 2026, midday in Brussels: a date in the future is 3 March."""
    with time_machine.travel(datetime(2026, 3, 2, 11, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def stairs(person, gp):
    return goal(person, gp)


def test_a_scale_is_set_with_five_levels_and_a_baseline(stairs, gp, person):
    scale = set_scale(gp, stairs, baseline=-1, on=date(2026, 1, 5))
    assert (scale.number, scale.version, scale.baseline, scale.baseline_on) == (1, 1, -1, date(2026, 1, 5))
    assert [text for _level, text in scale.levels()] == list(STAIRS)
    assert (scale.set_by, scale.locked_at, scale.changed_after_follow_up) == (gp, None, False)
    changes = AuditEntry.objects.filter(action=Action.PLANS_GAS_SCALE_SET, person_id=person.pk, event="change")
    assert list(changes.values_list("actor_id", "allowed")) == [(gp.pk, True)]


@pytest.mark.parametrize(
    ("levels", "field"),
    [
        (("", *STAIRS[1:]), "level_minus_2"),
        ((*STAIRS[:4], "  "), "level_plus_2"),
        ((STAIRS[0], STAIRS[1], STAIRS[2], STAIRS[3], STAIRS[2].upper()), "level_plus_2"),  # the same as 0
    ],
)
def test_every_level_is_required_and_distinct_and_nothing_is_saved_otherwise(stairs, gp, levels, field):
    with pytest.raises(ValidationError) as refused:
        services.set_scale(gp, stairs, scale_input(levels=levels), version=0)
    assert field in refused.value.message_dict
    assert not GoalScale.objects.exists()


def test_a_baseline_off_the_scale_or_in_the_future_is_refused(stairs, gp):
    with pytest.raises(ValidationError) as refused:
        services.set_scale(gp, stairs, services.ScaleInput(STAIRS, 3, date(2026, 3, 3)), version=0)
    assert set(refused.value.message_dict) == {"baseline", "baseline_on"}
    assert not GoalScale.objects.exists()


def test_before_any_follow_up_the_scale_changes_in_place_with_its_history(stairs, gp, nurse):
    first = set_scale(gp, stairs, baseline=-1)
    changed = set_scale(nurse, stairs, baseline=-2)
    assert changed.pk == first.pk
    assert (changed.number, changed.version, changed.baseline, changed.set_by) == (1, 2, -2, nurse)
    assert [row.history_user for row in changed.history.order_by("history_date")] == [gp, nurse]
    assert AuditEntry.objects.filter(action=Action.PLANS_GAS_SCALE_CHANGED, actor_id=nurse.pk).count() == 1


def test_an_unchanged_scale_is_left_alone(stairs, gp):
    first = set_scale(gp, stairs)
    again = set_scale(gp, stairs)
    assert again.version == first.version == 1
    assert first.history.count() == 1


def test_the_first_follow_up_locks_the_scale(stairs, gp):
    set_scale(gp, stairs)
    score(gp, stairs, 0, date(2026, 2, 1))
    assert services.current_scale(stairs).locked_at is not None


def test_after_a_follow_up_a_change_needs_a_reason_and_changes_nothing_without_one(stairs, gp):
    scale = set_scale(gp, stairs, baseline=-1)
    score(gp, stairs, 0, date(2026, 2, 1))
    with pytest.raises(ValidationError) as refused:
        set_scale(gp, stairs, baseline=-2)
    assert "reason" in refused.value.message_dict
    assert list(GoalScale.objects.values_list("pk", "baseline", "version")) == [(scale.pk, -1, 1)]


def test_after_a_follow_up_a_change_makes_a_new_flagged_version_and_the_old_keeps_its_scores(stairs, gp, nurse):
    old = set_scale(gp, stairs, baseline=-1)
    first_score = score(gp, stairs, 0, date(2026, 2, 1))
    new = set_scale(nurse, stairs, baseline=-2, reason="De val van februari: de start was lager dan gedacht.")
    assert new.pk != old.pk
    assert (new.number, new.version, new.changed_after_follow_up, new.locked_at) == (2, 2, True, None)
    assert new.change_reason == "De val van februari: de start was lager dan gedacht."
    old.refresh_from_db()
    assert (old.number, old.baseline, old.superseded_at is not None) == (1, -1, True)
    assert list(old.scores.all()) == [first_score]
    assert services.current_scale(stairs) == new
    assert AuditEntry.objects.filter(action=Action.PLANS_GAS_SCALE_VERSIONED, actor_id=nurse.pk).count() == 1


def test_a_stale_scale_edit_is_refused_and_the_first_change_survives(stairs, gp, nurse):
    set_scale(gp, stairs, baseline=-1)
    set_scale(nurse, stairs, baseline=-2, version=1)
    with pytest.raises(Conflict):
        set_scale(gp, stairs, baseline=0, version=1)
    assert GoalScale.objects.get().baseline == -2


def test_a_second_first_scale_is_a_conflict(stairs, gp, nurse):
    set_scale(gp, stairs, version=0)
    with pytest.raises(Conflict):
        set_scale(nurse, stairs, baseline=1, version=0)
    assert GoalScale.objects.count() == 1


def test_a_version_read_before_a_new_version_never_matches_again(stairs, gp, nurse):
    set_scale(gp, stairs)  # version 1
    score(gp, stairs, 0, date(2026, 2, 1))
    set_scale(nurse, stairs, baseline=-2, reason="Herzien", version=1)  # the new row has version 2
    with pytest.raises(Conflict):
        set_scale(gp, stairs, baseline=0, reason="Ook herzien", version=1)
    assert GoalScale.objects.count() == 2


def test_a_score_needs_a_scale(stairs, gp):
    with pytest.raises(ValidationError):
        score(gp, stairs, 1, date(2026, 2, 1))
    assert not GoalScore.objects.exists()


@pytest.mark.parametrize(
    ("level", "on", "field"),
    [(3, date(2026, 2, 1), "score"), (1, date(2026, 3, 3), "scored_on"), (1, date(2026, 1, 4), "scored_on")],
)
def test_a_score_off_the_scale_in_the_future_or_before_the_baseline_is_refused(stairs, gp, level, on, field):
    set_scale(gp, stairs, on=date(2026, 1, 5))
    with pytest.raises(ValidationError) as refused:
        score(gp, stairs, level, on)
    assert field in refused.value.message_dict
    assert not GoalScore.objects.exists()
    assert services.current_scale(stairs).locked_at is None


def test_a_second_score_the_same_day_is_a_conflict_unless_it_changes_the_first(stairs, gp, nurse):
    set_scale(gp, stairs)
    first = score(gp, stairs, 0, date(2026, 2, 1))
    with pytest.raises(Conflict):
        score(nurse, stairs, 1, date(2026, 2, 1))
    assert GoalScore.objects.get().score == 0
    changed = score(nurse, stairs, 1, date(2026, 2, 1), version=first.version, note="Toch beter dan gedacht")
    assert (changed.pk, changed.score, changed.version, changed.recorded_by) == (first.pk, 1, 2, nurse)
    with pytest.raises(Conflict):  # the version the gp read is stale now
        score(gp, stairs, -1, date(2026, 2, 1), version=first.version)
    assert GoalScore.objects.get().score == 1
    assert AuditEntry.objects.filter(action=Action.PLANS_GAS_SCORE_CHANGED, actor_id=nurse.pk, allowed=True).exists()


def test_a_caregiver_reads_the_plan_but_cannot_score(stairs, gp, caregiver):
    set_scale(gp, stairs)
    with pytest.raises(Refused) as refused:
        score(caregiver, stairs, 1, date(2026, 2, 1))
    assert refused.value.decision.status == 403
    assert not GoalScore.objects.exists()
    assert AuditEntry.objects.filter(actor_id=caregiver.pk, action=Action.PLANS_GAS_SCORED, allowed=False).exists()


def test_an_outsider_cannot_set_a_scale_and_nothing_changes(stairs, outsider):
    with pytest.raises(Refused) as refused:
        services.set_scale(outsider, stairs, scale_input(), version=0)
    assert refused.value.decision.status == 404
    assert not GoalScale.objects.exists()
    assert AuditEntry.objects.filter(actor_id=outsider.pk, action=Action.PLANS_GAS_SCALE_SET, allowed=False).exists()
