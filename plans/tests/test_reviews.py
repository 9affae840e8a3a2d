"""Reviewing the plan (PLAN-03): the last-reviewed date, due on day 90 and overdue from day 91
(a setting), the coordinator reminded once per overdue period, reviews with team members, a
closed meeting counted as a review; the page and the API on the same service."""

import io
import json
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEntry
from conftest import in_english
from core.actions import Action
from notifications.models import Notification
from notifications.services import render_text
from plans import services
from plans.models import EarlySignal, PlanReview, ReviewMember, ReviewReminder
from plans.reviews import queries
from plans.signals import services as signal_services
from plans.tests.factories import goal, membership_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(time_machine, person):
    """The plan's first goal, made a day after the team was formed; the clock then stands still."""
    moment = timezone.now() + timedelta(days=1)
    time_machine.move_to(moment, tick=False)
    return moment


def _remind():
    """What cron runs daily; the task runs at once in the tests."""
    call_command("remind_plan_reviews", stdout=io.StringIO())


def _on_day(time_machine, start, days):
    time_machine.move_to(start + timedelta(days=days), tick=False)


def test_a_plan_without_records_has_nothing_to_review(person):
    status = queries.review_status(person)
    assert (status.state, status.due_on, status.last) == ("none", None, None)


def test_a_plan_never_reviewed_is_due_on_day_90_and_overdue_from_day_91(person, gp, start, time_machine, settings):
    assert settings.PLAN_REVIEW_INTERVAL_DAYS == 90
    goal(person, gp)
    _on_day(time_machine, start, 89)
    assert queries.review_status(person).state == "ok"
    _on_day(time_machine, start, 90)
    status = queries.review_status(person)
    assert (status.state, status.due_on) == ("due", start.date() + timedelta(days=90))
    _on_day(time_machine, start, 91)
    status = queries.review_status(person)
    assert (status.state, status.days_overdue) == ("overdue", 1)


def test_a_review_starts_a_new_interval(person, gp, start, time_machine):
    goal(person, gp)
    _on_day(time_machine, start, 95)
    assert queries.review_status(person).overdue
    services.record_review(gp, person, notes="Alles overlopen")
    status = queries.review_status(person)
    assert (status.state, status.last.reviewed_on, status.due_on) == (
        "ok",
        timezone.localdate(),
        timezone.localdate() + timedelta(days=90),
    )


def test_the_interval_is_a_setting(person, gp, start, time_machine, settings):
    settings.PLAN_REVIEW_INTERVAL_DAYS = 30
    goal(person, gp)
    _on_day(time_machine, start, 31)
    assert queries.review_status(person).overdue


def test_the_coordinator_is_reminded_once_per_overdue_period(person, gp, nurse, start, time_machine):
    goal(person, gp)
    reminders = Notification.objects.filter(kind=Notification.Kind.PLAN_REVIEW_DUE)
    _on_day(time_machine, start, 90)
    _remind()
    assert reminders.count() == 0  # due today, not overdue yet
    _on_day(time_machine, start, 91)
    _remind()
    _on_day(time_machine, start, 92)
    _remind()
    [reminder] = reminders.all()
    assert reminder.recipient == gp and nurse.notifications.count() == 0
    with translation.override("en"):
        assert render_text(reminder) == "A care plan is due for review."  # no name, no plan
    assert ReviewReminder.objects.get().due_on == start.date() + timedelta(days=90)
    assert AuditEntry.objects.filter(action=Action.PLANS_REVIEW_REMINDED, person_id=person.pk).count() == 1

    # A review starts a new period: overdue again 91 days later, reminded again, once.
    services.record_review(gp, person)
    _on_day(time_machine, start, 92 + 91)
    _remind()
    _remind()
    assert reminders.all().count() == 2  # a fresh query: the one above holds its rows


def test_a_closed_dossier_is_not_reminded(person, gp, start, time_machine):
    from privacy.models import Closure

    goal(person, gp)
    Closure.objects.create(person=person, reason=Closure.Reason.DEATH, event_date=timezone.localdate(), closed_by=gp)
    _on_day(time_machine, start, 91)
    _remind()
    assert not Notification.objects.filter(kind=Notification.Kind.PLAN_REVIEW_DUE).exists()


def test_a_review_names_the_team_members_who_took_part(person, gp, nurse, caregiver):
    review = services.record_review(
        gp,
        person,
        members=[membership_of(person, nurse), membership_of(person, caregiver)],
        with_whom="Jozef zelf",
    )
    assert {m.membership.user for m in review.members.all()} == {nurse, caregiver}
    assert queries.last_review(person) == review


def test_someone_not_on_the_team_is_refused_and_nothing_is_recorded(person, gp, nurse):
    ended = membership_of(person, nurse)
    type(ended).objects.filter(pk=ended.pk).update(until=timezone.now())
    with pytest.raises(ValidationError) as refused:
        services.record_review(gp, person, members=[ended])
    assert "members" in refused.value.message_dict
    assert not PlanReview.objects.exists() and not ReviewMember.objects.exists()


def test_a_review_answers_the_signals_that_asked_for_one(person, gp, caregiver):
    signal = signal_services.record_signal(caregiver, person, kind="confusion", description="Vergeet zijn eten")
    assert queries.review_status(person).signals_asking == 1
    review = services.record_review(gp, person)
    signal.refresh_from_db()
    assert (signal.status, signal.review, signal.handled_by) == (EarlySignal.Status.HANDLED, review, gp)
    assert queries.review_status(person).signals_asking == 0


def test_the_page_shows_the_last_review_and_records_one_with_two_members(person, gp, nurse, caregiver, gp_client):
    url = reverse("plans:reviews", args=[person.public_id])
    goal(person, gp)
    page = gp_client.get(url).content.decode()
    assert "data-last-reviewed" in page and 'id="review-form"' in page
    response = gp_client.post(
        url,
        {
            "reviewed_on": timezone.localdate().isoformat(),
            "members": [str(membership_of(person, nurse).public_id), str(membership_of(person, caregiver).public_id)],
            "with_whom": "Jozef",
            "notes": "Plan overlopen",
        },
    )
    assert response.status_code == 302
    review = PlanReview.objects.get()
    assert (review.reviewed_by, review.members.count(), review.with_whom) == (gp, 2, "Jozef")
    page = gp_client.get(url).content.decode()
    assert nurse.full_name in page and caregiver.full_name in page


def test_a_review_dated_tomorrow_is_refused_on_the_page_and_nothing_changes(person, gp_client):
    url = reverse("plans:reviews", args=[person.public_id])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = gp_client.post(url, {"reviewed_on": tomorrow})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not PlanReview.objects.exists()


def test_a_caregiver_sees_the_review_panel_without_the_form_and_cannot_review(person, caregiver_client):
    url = reverse("plans:reviews", args=[person.public_id])
    page = caregiver_client.get(url)
    assert page.status_code == 200 and 'id="review-form"' not in page.content.decode()
    response = caregiver_client.post(url, {"reviewed_on": timezone.localdate().isoformat()})
    assert response.status_code == 403
    assert not PlanReview.objects.exists()


def test_a_meetings_review_says_so(person, gp, gp_client):
    services.record_review(gp, person, meeting_id=uuid.uuid4())
    in_english(gp)
    page = gp_client.get(reverse("plans:reviews", args=[person.public_id]))
    assert "at the meeting of" in page.content.decode()


def test_the_api_reads_the_state_and_records_a_review(person, gp, nurse, gp_client, caregiver_client):
    url = f"/api/plans/persons/{person.public_id}/reviews"
    goal(person, gp)
    state = gp_client.get(url).json()
    assert (state["state"], state["last_reviewed"]) == ("ok", None)
    body = {"member_ids": [str(membership_of(person, nurse).public_id)], "notes": "Via de API"}
    created = gp_client.post(url, json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    assert [m["name"] for m in created.json()["members"]] == [nurse.full_name]
    assert gp_client.get(url).json()["last_reviewed"] == timezone.localdate().isoformat()
    refused = caregiver_client.post(url, json.dumps({}), content_type="application/json")
    assert refused.status_code == 403
    unknown = gp_client.post(url, json.dumps({"member_ids": [str(uuid.uuid4())]}), content_type="application/json")
    assert unknown.status_code == 422
    assert PlanReview.objects.count() == 1


def test_someone_the_person_excluded_is_never_offered_nor_accepted(person, gp, nurse, person_user):
    from access.models import Exclusion

    Exclusion.objects.create(person=person, excluded=nurse, recorded_by=person_user)
    assert nurse not in {m.user for m in queries.review_members(person)}
    with pytest.raises(ValidationError):
        services.record_review(gp, person, members=[membership_of(person, nurse)])
    assert not PlanReview.objects.exists()
