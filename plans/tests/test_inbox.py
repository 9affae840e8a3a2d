"""My actions: one inbox across all persons (proposed to me, overdue, due soon), the care
coordinator's part, the home page's counts, the API, and the daily digest that names no one.

The status of an action (done, declined) is set here straight on the row, with the history user,
since the services that change it belong to the action page's slice."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from access.models import Exclusion
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import run_worker
from core.actions import Action
from core.vocab import Profile
from people.tests.factories import PersonFactory, consent_for, join_team
from plans.inbox import queries, services
from plans.models import PlanAction
from plans.tests.factories import action, membership_of
from teams.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading_language() -> str:
    return "en"


def set_status(row: PlanAction, status: str, actor, **fields) -> PlanAction:
    """What the action page's services will do: a status change, saved with its history user."""
    row.status = status
    for name, value in fields.items():
        setattr(row, name, value)
    row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it
    row.save()
    return row


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


def titles(actions) -> list[str]:
    return [a.title for a in actions]


def test_the_owner_sees_proposed_overdue_and_due_soon_actions(person, gp, nurse):
    action(person, gp, nurse, title="Wondzorg evalueren", due_on=days(3))
    action(person, nurse, nurse, title="Verband bestellen", due_on=days(-2))
    action(person, nurse, nurse, title="Bloeddruk meten", due_on=days(7))
    action(person, nurse, nurse, title="Later nazicht", due_on=days(8))
    set_status(action(person, nurse, nurse, title="Al gedaan", due_on=days(-5)), PlanAction.Status.DONE, nurse)
    action(person, gp, gp, title="Van de huisarts", due_on=days(1))

    inbox = queries.my_actions(nurse)

    assert titles(inbox.proposed) == ["Wondzorg evalueren"]
    assert titles(inbox.overdue) == ["Verband bestellen"]
    assert titles(inbox.due_soon) == ["Bloeddruk meten"]
    assert inbox.coordinates is False and inbox.declined == [] and inbox.waiting_for_owner == []


def test_due_soon_follows_the_setting(person, nurse, settings):
    action(person, nurse, nurse, title="Bloeddruk meten", due_on=days(10))
    assert queries.my_actions(nurse).due_soon == []
    settings.PLAN_ACTIONS_DUE_SOON_DAYS = 10
    assert titles(queries.my_actions(nurse).due_soon) == ["Bloeddruk meten"]


def test_an_ended_membership_takes_its_actions_out_of_the_inbox(person, gp, nurse):
    action(person, gp, nurse, title="Wondzorg evalueren")
    Membership.objects.filter(person=person, user=nurse).update(until=timezone.now() - timedelta(seconds=1))
    assert queries.my_actions(nurse).proposed == []
    assert not AuditEntry.objects.filter(actor_id=nurse.pk, action=Action.PLANS_MY_ACTIONS_LISTED).exists()


def test_each_listed_person_is_audited_once_per_listing(person, gp, nurse):
    action(person, gp, nurse, title="Wondzorg evalueren")
    action(person, nurse, nurse, title="Verband bestellen", due_on=days(-1))
    queries.my_actions(nurse)
    rows = AuditEntry.objects.filter(actor_id=nurse.pk, action=Action.PLANS_MY_ACTIONS_LISTED)
    assert [(row.person_id, row.allowed, row.category) for row in rows] == [(person.pk, True, "plan")]


def test_a_person_who_excluded_the_owner_is_not_listed(person, gp, nurse, person_user):
    action(person, gp, nurse, title="Wondzorg evalueren")
    Exclusion.objects.create(person=person, excluded=nurse, recorded_by=person_user)
    assert queries.my_actions(nurse).proposed == []
    assert not AuditEntry.objects.filter(actor_id=nurse.pk, action=Action.PLANS_MY_ACTIONS_LISTED).exists()


def test_a_neighbour_sees_the_action_they_own_without_reading_the_plan(person, gp):
    neighbour = UserFactory(profile=Profile.NEIGHBOUR, full_name="Karim El Amrani", language="en")
    join_team(person, neighbour)
    action(person, gp, neighbour, title="Boodschappen op zaterdag")
    assert titles(queries.my_actions(neighbour).proposed) == ["Boodschappen op zaterdag"]


def test_the_coordinator_sees_declined_actions_and_proposals_waiting_for_their_owner(person, gp, nurse, pharmacist):
    action(person, gp, nurse, title="Wondzorg evalueren")
    declined = action(person, gp, pharmacist, title="Medicatieschema nakijken")
    set_status(declined, PlanAction.Status.DECLINED, pharmacist, decline_reason="Niet mijn taak")
    action(person, gp, gp, title="Eigen actie", due_on=days(30))

    inbox = queries.my_actions(gp)

    assert inbox.coordinates is True
    assert titles(inbox.declined) == ["Medicatieschema nakijken"]
    assert titles(inbox.waiting_for_owner) == ["Wondzorg evalueren"]
    assert queries.my_actions(nurse).declined == []


def _team_of(gp, nurse, index: int):
    someone = PersonFactory()
    join_team(someone, gp, is_coordinator=True)
    join_team(someone, nurse)
    consent_for(someone, recorded_by=gp)
    action(someone, gp, nurse, title=f"Wondzorg {index}")
    action(someone, nurse, nurse, title=f"Verband {index}", due_on=days(-1))
    action(someone, gp, nurse, title=f"Nazicht {index}", due_on=days(2))
    set_status(action(someone, gp, gp, title=f"Geweigerd {index}"), PlanAction.Status.DECLINED, gp)


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        queries.my_actions(user)
    return len(captured)


@pytest.mark.parametrize("who", ["nurse", "gp"])
def test_the_inbox_reads_as_many_queries_for_2_persons_as_for_20(who, gp, nurse, request):
    user = request.getfixturevalue(who)
    for index in range(2):
        _team_of(gp, nurse, index)
    few = _queries(user)
    for index in range(2, 20):
        _team_of(gp, nurse, index)
    inbox = queries.my_actions(user)
    assert len(inbox.proposed if who == "nurse" else inbox.declined) == (40 if who == "nurse" else 20)
    assert _queries(user) == few


def test_the_page_lists_the_actions_with_their_person(person, gp, nurse, nurse_client):
    action(person, gp, nurse, title="Wondzorg evalueren")
    page = nurse_client.get("/plans/my-actions/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Wondzorg evalueren" in body and "Jozef Wouters" in body
    assert f"/plans/person/{person.public_id}/actions/" in body


def test_an_outsider_has_an_empty_inbox(person, gp, nurse, outsider_client):
    action(person, gp, nurse, title="Wondzorg evalueren")
    body = outsider_client.get("/plans/my-actions/").content.decode()
    assert "Wondzorg evalueren" not in body and "Wouters" not in body


def test_the_home_page_counts_without_naming(person, gp, nurse, nurse_client):
    action(person, gp, nurse, title="Wondzorg evalueren")
    action(person, nurse, nurse, title="Verband bestellen", due_on=days(-1))
    body = nurse_client.get("/").content.decode()
    assert "1 action is proposed to you." in body and "1 of your actions is overdue." in body
    assert "Wondzorg evalueren" not in body
    assert 'href="/plans/my-actions/"' in body


def test_the_api_lists_the_same_inbox(person, gp, nurse, nurse_client):
    made = action(person, gp, nurse, title="Wondzorg evalueren")
    data = nurse_client.get("/api/plans/my-actions").json()
    assert [(a["id"], a["title"], a["person_id"]) for a in data["proposed"]] == [
        (str(made.public_id), "Wondzorg evalueren", str(person.public_id))
    ]
    assert data["due_soon_days"] == 7 and data["declined"] == []


# ── The daily digest ──────────────────────────────────────────────────────────────────────────


def test_the_digest_counts_and_links_but_names_no_one(person, gp, nurse, caregiver):
    action(person, gp, nurse, title="Wondzorg evalueren", goal=None)
    action(person, gp, nurse, title="Trapleuning laten plaatsen")
    action(person, nurse, nurse, title="Verband bestellen", due_on=days(-3))
    mail.outbox.clear()

    call_command("send_action_digests", stdout=StringIO())

    to_nurse = [m for m in mail.outbox if m.to == [nurse.email]]
    assert len(to_nurse) == 1
    body = to_nurse[0].body
    assert "2 actions are proposed to you: accept or decline them." in body
    assert "1 of your actions is overdue." in body
    assert "http://127.0.0.1:8000/plans/my-actions/" in body
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in (person.given_name, person.family_name, person.insz, "Wondzorg", "Trapleuning", "Verband"):
            assert secret not in text
    # The caregiver owns nothing and has nothing to answer: no mail.
    assert not [m for m in mail.outbox if m.to == [caregiver.email]]


def test_the_digest_is_in_the_users_language(person, gp, nurse):
    nurse.language = "fr"
    nurse.save(update_fields=["language"])
    action(person, gp, nurse, title="Wondzorg evalueren")
    mail.outbox.clear()
    services.send_action_digests()
    (sent,) = [m for m in mail.outbox if m.to == [nurse.email]]
    assert sent.extra_headers["Content-Language"] == "fr"
    assert sent.subject == "Des actions vous attendent dans Schakel"
    assert "1 action vous est proposée : acceptez-la ou refusez-la." in sent.body


def test_the_command_queues_one_task_per_user_and_the_worker_sends_them(person, gp, nurse, pharmacist, queued):
    action(person, gp, nurse, title="Wondzorg evalueren")
    action(person, gp, pharmacist, title="Medicatieschema nakijken")
    mail.outbox.clear()

    assert services.send_action_digests() == 2
    assert DBTaskResult.objects.filter(task_path__endswith="send_action_digest").count() == 2
    assert mail.outbox == []  # queued, not sent by the command

    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([nurse.email, pharmacist.email])


def test_a_user_whose_actions_are_all_taken_care_of_gets_no_digest(person, gp, nurse):
    made = action(person, gp, nurse, title="Wondzorg evalueren")
    set_status(made, PlanAction.Status.OPEN, nurse, due_on=days(30))
    mail.outbox.clear()
    assert services.send_action_digests() == 0
    assert mail.outbox == []


def test_membership_helper_is_the_owner(person, gp, nurse):
    assert action(person, gp, nurse).owner == membership_of(person, nurse)
