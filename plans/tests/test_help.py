"""Did it help? (PLAN-04): who answers (access.rules.did_it_help_answer), in whose name, with
acting-for audited; several answers over time; the prompt; and the flag for the coordinator when
the answer is missing after PLAN_HELP_ANSWER_DAYS (frozen clock).

An action is marked done here straight on its row, with the history user: the service that does
it belongs to the action page's slice."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from access.gate import Refused
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from core.actions import Action
from core.vocab import Profile
from people.tests.factories import join_team
from plans.help import queries, services
from plans.inbox import queries as inbox
from plans.models import HelpAnswer, PlanAction
from plans.tests.factories import action

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
# Tomorrow at 10:00 in Brussels: after the fixtures' memberships began, well before they end.
DONE_AT = datetime.combine(
    datetime.now(BRUSSELS).date() + timedelta(days=1), datetime.min.time().replace(hour=10), tzinfo=BRUSSELS
)


@pytest.fixture
def reading_language() -> str:
    return "en"


def done(row: PlanAction, actor, at=None) -> PlanAction:
    """What the action page's service will do: mark the action done, with its history user."""
    row.status = PlanAction.Status.DONE
    row.done_at = at or timezone.now()
    row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it
    row.save()
    return row


@pytest.fixture
def finished(person, gp, nurse):
    return done(action(person, gp, nurse, title="Trapleuning laten plaatsen"), nurse)


def test_the_person_answers_partly_in_their_own_name(person, person_user, finished):
    row = services.answer_did_it_help(person_user, person, finished, answer="partly", comment=" Nog wat wankel ")
    assert (row.answer, row.comment, row.answered_as, row.answered_by, row.recorded_for, row.on_behalf_of) == (
        "partly",
        "Nog wat wankel",
        HelpAnswer.Voice.PERSON,
        person_user,
        False,
        None,
    )
    change = AuditEntry.objects.get(action=Action.PLANS_HELP_ANSWERED, person_id=person.pk)
    assert (change.actor_id, change.relationship, change.allowed, change.acting_for_id) == (
        person_user.pk,
        "self",
        True,
        None,
    )


def test_a_caregiver_answers_as_a_caregiver(person, caregiver, finished):
    row = services.answer_did_it_help(caregiver, person, finished, answer="yes")
    assert (row.answered_as, row.recorded_for, row.relationship) == (HelpAnswer.Voice.CAREGIVER, False, "team")


def test_a_representative_answers_for_the_person(person, person_user, representative, finished):
    row = services.answer_did_it_help(representative, person, finished, answer="no", answered_as="caregiver")
    assert (row.answered_as, row.on_behalf_of, row.recorded_for) == (
        HelpAnswer.Voice.REPRESENTATIVE,
        person_user,
        False,
    )


def test_a_professional_records_the_persons_answer_acting_for_them(person, person_user, gp, finished):
    row = services.answer_did_it_help(gp, person, finished, answer="yes", comment="Zei Jozef aan de telefoon")
    assert (row.answered_as, row.answered_by, row.recorded_for, row.on_behalf_of) == (
        HelpAnswer.Voice.PERSON,
        gp,
        True,
        person_user,
    )
    change = AuditEntry.objects.get(action=Action.PLANS_HELP_ANSWERED, person_id=person.pk)
    assert (change.actor_id, change.acting_for_id) == (gp.pk, person_user.pk)


def test_a_professional_says_whose_answer_they_record(person, gp, finished):
    row = services.answer_did_it_help(gp, person, finished, answer="yes", answered_as="caregiver")
    assert row.answered_as == HelpAnswer.Voice.CAREGIVER
    with pytest.raises(ValidationError) as refused:
        services.answer_did_it_help(gp, person, finished, answer="yes", answered_as="the neighbour")
    assert "answered_as" in refused.value.message_dict
    assert HelpAnswer.objects.count() == 1


def test_a_pharmacist_who_reads_the_plan_is_told_no_and_nothing_changes(person, pharmacist, finished):
    with pytest.raises(Refused) as refused:
        services.answer_did_it_help(pharmacist, person, finished, answer="yes")
    assert refused.value.decision.status == 403
    assert not HelpAnswer.objects.exists()
    assert AuditEntry.objects.get(actor_id=pharmacist.pk, action=Action.PLANS_HELP_ANSWERED).allowed is False


def test_an_outsider_gets_the_404_and_nothing_changes(person, outsider, finished):
    with pytest.raises(Refused) as refused:
        services.answer_did_it_help(outsider, person, finished, answer="yes")
    assert refused.value.decision.status == 404
    assert not HelpAnswer.objects.exists()


def test_a_neighbour_who_does_not_read_the_plan_cannot_answer(person, gp, finished):
    neighbour = UserFactory(profile=Profile.NEIGHBOUR, full_name="Karim El Amrani", language="en")
    join_team(person, neighbour)
    with pytest.raises(Refused) as refused:
        services.answer_did_it_help(neighbour, person, finished, answer="yes")
    assert refused.value.decision.status == 404
    assert not HelpAnswer.objects.exists()


def test_an_action_not_done_cannot_be_answered(person, gp, nurse, person_user):
    open_action = action(person, gp, nurse)
    with pytest.raises(ValidationError) as refused:
        services.answer_did_it_help(person_user, person, open_action, answer="yes")
    assert refused.value.code == "not_done"
    assert not HelpAnswer.objects.exists()


def test_bad_input_changes_nothing(person, person_user, finished):
    with pytest.raises(ValidationError) as refused:
        services.answer_did_it_help(person_user, person, finished, answer="maybe", comment="x" * 1001)
    assert set(refused.value.message_dict) == {"answer", "comment"}
    assert not HelpAnswer.objects.exists()


def test_not_yet_then_yes_keeps_both_and_settles_the_question(person, person_user, finished):
    services.answer_did_it_help(person_user, person, finished, answer="not_yet")
    assert list(queries.waiting(PlanAction.objects.all())) == [finished]
    services.answer_did_it_help(person_user, person, finished, answer="yes", comment="Nu wel")
    assert list(queries.waiting(PlanAction.objects.all())) == []
    (row,) = queries.rows_of(PlanAction.objects.filter(pk=finished.pk))
    assert [a.answer for a in row.answers] == ["not_yet", "yes"] and row.waiting is False


def test_the_question_goes_to_the_person_and_their_circle_only(person, person_user, caregiver, nurse, finished):
    asked = services.ask_did_it_help(finished)
    assert sorted(u.pk for u in asked) == sorted([person_user.pk, caregiver.pk])
    assert person_user.notifications.get().kind == "help_question"
    assert not nurse.notifications.filter(kind="help_question").exists()


def test_the_person_sees_the_done_action_in_my_actions(person, person_user, caregiver, finished):
    assert [a.title for a in inbox.my_actions(person_user).to_answer] == ["Trapleuning laten plaatsen"]
    assert [a.title for a in inbox.my_actions(caregiver).to_answer] == ["Trapleuning laten plaatsen"]
    services.answer_did_it_help(caregiver, person, finished, answer="yes")
    assert inbox.my_actions(person_user).to_answer == []


# ── The flag: an answer missing after PLAN_HELP_ANSWER_DAYS (14) ─────────────────────────────


def _flagged_for(gp) -> list[str]:
    return [a.title for a in inbox.my_actions(gp).unanswered]


def test_a_missing_answer_is_not_flagged_on_day_14_and_flagged_on_day_15(person, gp, nurse):
    with time_machine.travel(DONE_AT, tick=False):
        done(action(person, gp, nurse, title="Trapleuning laten plaatsen"), nurse)
    with time_machine.travel(DONE_AT + timedelta(days=14, hours=13), tick=False):  # day 14, 23:00
        assert list(queries.flagged(PlanAction.objects.all())) == []
        assert _flagged_for(gp) == []
    with time_machine.travel(DONE_AT + timedelta(days=15), tick=False):
        assert _flagged_for(gp) == ["Trapleuning laten plaatsen"]
        (row,) = queries.rows_of(PlanAction.objects.all())
        assert row.flagged is True


def test_the_flag_follows_the_setting(person, gp, nurse, settings):
    settings.PLAN_HELP_ANSWER_DAYS = 3
    with time_machine.travel(DONE_AT, tick=False):
        done(action(person, gp, nurse, title="Trapleuning laten plaatsen"), nurse)
    with time_machine.travel(DONE_AT + timedelta(days=4), tick=False):
        assert _flagged_for(gp) == ["Trapleuning laten plaatsen"]


def test_not_yet_puts_the_question_again_and_an_answer_ends_the_flag(person, person_user, gp, nurse):
    with time_machine.travel(DONE_AT, tick=False):
        finished = done(action(person, gp, nurse, title="Trapleuning laten plaatsen"), nurse)
    with time_machine.travel(DONE_AT + timedelta(days=10), tick=False):
        services.answer_did_it_help(person_user, person, finished, answer="not_yet")
    with time_machine.travel(DONE_AT + timedelta(days=15), tick=False):
        assert _flagged_for(gp) == []
    with time_machine.travel(DONE_AT + timedelta(days=25), tick=False):
        assert _flagged_for(gp) == ["Trapleuning laten plaatsen"]
        services.answer_did_it_help(person_user, person, finished, answer="yes")
        assert _flagged_for(gp) == []


def test_only_the_coordinator_is_shown_the_flag(person, gp, nurse):
    with time_machine.travel(DONE_AT, tick=False):
        done(action(person, gp, nurse, title="Trapleuning laten plaatsen"), nurse)
    with time_machine.travel(DONE_AT + timedelta(days=20), tick=False):
        assert inbox.my_actions(nurse).unanswered == []


# ── The page and the API ─────────────────────────────────────────────────────────────────────


def test_the_person_answers_on_the_page_and_the_coordinator_reads_it(person, person_client, gp_client, finished):
    url = f"/plans/person/{person.public_id}/did-it-help/"
    form = person_client.get(f"{url}?action={finished.public_id}")
    assert form.status_code == 200 and 'value="partly"' in form.content.decode()
    answered = person_client.post(url, {"action": str(finished.public_id), "answer": "partly", "comment": "Wankel"})
    assert answered.status_code == 302
    page = gp_client.get(url).content.decode()
    assert "Latest answer: partly" in page and "Wankel" in page


def test_a_wrong_answer_on_the_page_changes_nothing(person, person_client, finished):
    url = f"/plans/person/{person.public_id}/did-it-help/"
    response = person_client.post(url, {"action": str(finished.public_id), "answer": "misschien"})
    assert response.status_code == 200
    assert not HelpAnswer.objects.exists()


def test_the_api_adds_an_answer_and_lists_them(person, person_user, finished, person_client):
    url = f"/api/plans/persons/{person.public_id}/help-answers"
    created = person_client.post(
        url, {"action": str(finished.public_id), "answer": "not_yet"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["answered_as"] == "person"
    listed = person_client.get(url).json()
    assert listed["may_answer"] is True
    assert [(r["title"], r["waiting"], [a["answer"] for a in r["answers"]]) for r in listed["actions"]] == [
        ("Trapleuning laten plaatsen", True, ["not_yet"])
    ]


def test_the_api_refuses_bad_input_with_422(person, finished, person_client):
    url = f"/api/plans/persons/{person.public_id}/help-answers"
    response = person_client.post(
        url, {"action": str(finished.public_id), "answer": ""}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not HelpAnswer.objects.exists()


def test_the_prompt_and_answers_for_the_plan_and_action_pages(person, gp, person_user, finished):
    prompt = queries.prompt_for(gp, person)
    assert [row.action for row in prompt.rows] == [finished] and prompt.rights.records_for is True
    services.answer_did_it_help(person_user, person, finished, answer="yes")
    assert queries.prompt_for(gp, person).rows == []
    assert [a.answer for a in queries.answers_of(finished)] == ["yes"]
