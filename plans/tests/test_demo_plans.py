"""The demo zone's care plans and meetings (plans/demo.py, meetings/demo.py): they load on an empty
database and a second time changes nothing, Jozef's and Simone's T-scores rise over the three
review dates, every action's owner is an active member, and each status the guide shows is there."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from conftest import client_for
from core.vocab import Profile
from demo import zone
from meetings.models import Decision, Meeting, Participant
from people.models import Person
from plans import demo
from plans.gas.queries import _overview
from plans.models import EarlySignal, HelpAnswer, LifeGoal, PlanAction, PlanReview
from teams.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> dict[str, Person]:
    zone.load()
    return {person.given_name: person for person in Person.objects.all()}


def user(profile: str) -> User:
    return User.objects.get(email=zone.email_for(profile))


def check_a_second_load_changes_nothing(loaded):
    counts = demo.plan_rows() | {"Meeting": Meeting.objects.count(), "PlanReview": PlanReview.objects.count()}
    assert counts["LifeGoal"] >= 4 and counts["Goal"] >= 6 and counts["PlanAction"] >= 10
    assert counts["Meeting"] == 3
    zone.load()
    assert demo.plan_rows() | {"Meeting": Meeting.objects.count(), "PlanReview": PlanReview.objects.count()} == counts
    jozef = loaded["Jozef"]
    assert set(LifeGoal.objects.filter(person=jozef).values_list("written_by", flat=True)) == {"person"}


def check_the_t_score_rises_over_three_review_dates_each_a_review(loaded, name):
    person = loaded[name]
    overview = _overview(person)
    assert len(overview.reviews) == 3
    scores = [review.t for review in overview.reviews]
    assert overview.baseline_t is not None
    assert overview.baseline_t <= scores[0] < scores[1] < scores[2], scores
    reviewed = set(PlanReview.objects.filter(person=person).values_list("reviewed_on", flat=True))
    assert {review.on for review in overview.reviews} <= reviewed
    gaps = [
        (later.on - earlier.on).days for earlier, later in zip(overview.reviews, overview.reviews[1:], strict=False)
    ]
    assert all(80 <= gap <= 100 for gap in gaps), gaps


def check_every_action_owner_is_an_active_member_not_excluded(loaded):
    actions = PlanAction.objects.select_related("owner", "owner__user")
    assert actions.exists()
    for action in actions:
        active = Membership.objects.active().filter(pk=action.owner_id, person=action.person_id)
        assert active.exists(), action.title
        assert action.owner.user.email.endswith("@" + zone.DEMO_DOMAIN)
        assert action.owner.user.profile != Profile.PSYCHOLOGIST  # excluded by Jozef


def check_jozefs_actions_show_every_status_the_guide_needs(loaded):
    jozef = loaded["Jozef"]
    actions = PlanAction.objects.filter(person=jozef).select_related("owner")
    by = {(action.owner.profile, action.status) for action in actions}
    assert (Profile.NURSE, PlanAction.Status.PROPOSED) in by
    assert (Profile.INFORMAL_CAREGIVER, PlanAction.Status.OPEN) in by
    assert (Profile.NEIGHBOUR, PlanAction.Status.OPEN) in by
    assert any(status == PlanAction.Status.ON_HOLD for _profile, status in by)
    today = timezone.localdate()
    overdue = [a for a in actions if a.due_on and a.due_on < today and a.status in ("open", "in_progress")]
    assert len(overdue) == 1
    partly = HelpAnswer.objects.get(person=jozef)
    assert (partly.answer, partly.action.status, partly.answered_as) == ("partly", "done", "person")
    signal = EarlySignal.objects.get(person=jozef)
    assert signal.kind == "caregiver_exhausted" and signal.action is not None
    # Dated in the past: the plan began months ago, not when the demo was loaded.
    assert LifeGoal.objects.filter(person=jozef).first().created_at < timezone.now() - timedelta(days=200)


def check_two_past_mdos_with_decisions_lead_to_an_upcoming_one(loaded):
    jozef = loaded["Jozef"]
    first, second, upcoming = Meeting.objects.filter(person=jozef).order_by("starts_at")
    assert (first.status, second.status, upcoming.status) == ("closed", "closed", "planned")
    assert (first.next_meeting, second.next_meeting) == (second, upcoming)
    assert upcoming.starts_at > timezone.now()
    for meeting in (first, second):
        assert meeting.minutes
        assert meeting.participants.filter(attendance=Participant.Attendance.IN_PERSON).count() >= 3
        decisions = Decision.objects.filter(meeting=meeting)
        assert decisions.count() == 2
        assert all(d.action.origin == PlanAction.Origin.MEETING for d in decisions)
        assert PlanReview.objects.filter(meeting_id=meeting.public_id).exists()


def check_the_pages_open_for_the_demo_users(loaded):
    jozef = loaded["Jozef"]
    gp, neighbour = user(Profile.GP), user(Profile.NEIGHBOUR)
    body = client_for(gp).get(reverse("plans:plan", args=[jozef.public_id])).content.decode()
    assert "Zelf naar de markt blijven gaan op zaterdag" in body
    own = PlanAction.objects.get(person=jozef, owner__user=neighbour)
    client = client_for(neighbour)
    assert client.get(reverse("plans:action", args=[jozef.public_id, own.public_id])).status_code == 200
    assert client.get(reverse("plans:plan", args=[jozef.public_id])).status_code == 404
    meeting = Meeting.objects.filter(person=jozef, status="closed").first()
    page = client_for(gp).get(reverse("meetings:detail", args=[jozef.public_id]) + f"?meeting={meeting.public_id}")
    assert page.status_code == 200


# Loading the demo zone takes seconds: two tests share the work (each check says what it proves).


def test_the_demo_plans_load_once_with_rising_scores_and_active_owners(loaded):
    check_a_second_load_changes_nothing(loaded)
    for name in ("Jozef", "Simone"):
        check_the_t_score_rises_over_three_review_dates_each_a_review(loaded, name)
    check_every_action_owner_is_an_active_member_not_excluded(loaded)


def test_the_demo_shows_each_status_the_meetings_and_the_pages(loaded):
    check_jozefs_actions_show_every_status_the_guide_needs(loaded)
    check_two_past_mdos_with_decisions_lead_to_an_upcoming_one(loaded)
    check_the_pages_open_for_the_demo_users(loaded)
