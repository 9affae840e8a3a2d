"""The plan's core changes: owners are active, non-excluded members; every change is gated,
audited and kept in history."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from access.gate import Refused
from access.models import Exclusion
from audit.models import AuditEntry
from core.actions import Action
from plans import services
from plans.models import PlanAction
from plans.tests.factories import action, goal, life_goal, membership_of

pytestmark = pytest.mark.django_db


def test_an_action_for_someone_else_is_proposed_and_tells_them(person, gp, nurse):
    made = action(person, gp, nurse, goal=goal(person, gp, life=life_goal(person, gp)))
    assert made.status == PlanAction.Status.PROPOSED
    assert nurse.notifications.filter(kind="action_proposed").count() == 1
    assert made.history.count() == 1 and made.history.first().history_user == gp
    assert AuditEntry.objects.filter(action=Action.PLANS_ACTION_PROPOSED, person_id=person.pk, allowed=True).exists()


def test_an_action_taken_on_oneself_is_open_at_once(person, gp):
    assert action(person, gp, gp).status == PlanAction.Status.OPEN


def test_an_excluded_professional_is_never_an_owner(person, gp, nurse, person_user):
    Exclusion.objects.create(person=person, excluded=nurse, recorded_by=person_user)
    with pytest.raises(ValidationError) as refused:
        action(person, gp, nurse)
    assert "owner" in refused.value.message_dict
    assert not PlanAction.objects.exists()


def test_an_ended_membership_is_never_an_owner(person, gp, nurse):
    membership_of(person, nurse).__class__.objects.filter(person=person, user=nurse).update(until=timezone.now())
    with pytest.raises(ValidationError):
        action(person, gp, nurse)


def test_an_outsider_cannot_write_the_plan(person, gp, outsider):
    with pytest.raises(Refused):
        services.add_goal(outsider, person, title="Iets")
    assert AuditEntry.objects.filter(actor_id=outsider.pk, action=Action.PLANS_GOAL_ADDED, allowed=False).exists()


def test_a_caregiver_reads_the_plan_but_cannot_write_it(person, caregiver):
    with pytest.raises(Refused) as refused:
        services.add_goal(caregiver, person, title="Iets")
    assert refused.value.decision.status == 403


def test_a_review_is_never_dated_in_the_future(person, gp):
    with pytest.raises(ValidationError):
        services.record_review(gp, person, reviewed_on=timezone.localdate() + timezone.timedelta(days=1))
