"""The meeting pages: planning, the meeting page and its agenda, the forms at the meeting,
closing, cancelling, the printable minutes; a guest's e-mail address never opens the dossier."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for
from core.actions import Action
from core.vocab import Profile
from meetings import printing, services
from meetings.models import Meeting
from meetings.tests.factories import meeting, present
from plans.models import PlanAction
from plans.tests.factories import action, goal, membership_of

pytestmark = pytest.mark.django_db


def _url(name, person, made=None):
    url = reverse(f"meetings:{name}", args=[person.public_id])
    return f"{url}?meeting={made.public_id}" if made else url


def test_the_coordinator_plans_an_mdo_with_the_nurse_and_the_caregiver(person, gp, nurse, caregiver, gp_client):
    page = gp_client.get(_url("plan", person))
    assert page.status_code == 200
    response = gp_client.post(
        _url("plan", person),
        {
            "kind": "mdo",
            "day": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "start": "14:00",
            "end": "15:00",
            "place": "Bij Jozef thuis",
            "at_home": "on",
            "members": [str(membership_of(person, nurse).public_id), str(membership_of(person, caregiver).public_id)],
            "with_person": "on",
            "guests": "Els Wouters, els@example.org",
        },
    )
    made = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", person, made)
    assert made.participants.count() == 4
    assert timezone.localtime(made.starts_at).strftime("%H:%M") == "14:00"


def test_an_end_before_the_start_is_shown_on_the_form_and_plans_nothing(person, gp_client):
    response = gp_client.post(
        _url("plan", person), {"kind": "mdo", "day": timezone.localdate().isoformat(), "start": "15:00", "end": "14:00"}
    )
    assert response.status_code == 200
    assert "The meeting ends after it starts." in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_meeting_page_shows_the_agenda_in_its_fixed_order(person, gp, nurse, caregiver, gp_client):
    made = meeting(person, gp, nurse, caregiver)
    action(person, gp, nurse, title="Douchestoel plaatsen", due_on=timezone.localdate() - timedelta(days=3))
    services.add_question(caregiver, made, text="Kan papa nog alleen douchen?")
    body = gp_client.get(_url("detail", person, made)).content.decode()
    headings = [
        "1. Decisions of the previous meeting",
        "2. Overdue actions",
        "3. Goals due for review",
        "4. Questions put on the agenda",
    ]
    positions = [body.index(h) for h in headings]
    assert positions == sorted(positions)
    assert body.index("Douchestoel plaatsen") < body.index("3. Goals due for review")
    assert body.index("Kan papa nog alleen douchen?") > positions[3]


def test_the_caregiver_sees_the_meeting_and_adds_a_question_but_no_forms_to_change_it(
    person, gp, caregiver, caregiver_client
):
    made = meeting(person, gp, caregiver)
    body = caregiver_client.get(_url("detail", person, made)).content.decode()
    assert "Add my question" in body and "Record the decision" not in body and "Close the meeting" not in body
    response = caregiver_client.post(
        _url("question", person), {"meeting": str(made.public_id), "text": "Kan papa nog alleen douchen?"}
    )
    assert response.status_code == 302
    assert made.questions.get().asked_by == caregiver


def test_a_guests_email_address_never_opens_the_meeting_even_for_a_schakel_user(person, gp):
    guest_user = UserFactory(profile=Profile.PHYSIOTHERAPIST, full_name="Thomas Willems", email="thomas@example.org")
    made = meeting(person, gp, guests=[services.Guest("Thomas Willems", "thomas@example.org")])
    client = client_for(guest_user)
    for name in ("detail", "minutes-pdf"):
        response = client.get(_url(name, person, made))
        assert response.status_code == 404
        assert person.family_name not in response.content.decode(errors="ignore")
    assert client.get(_url("list", person)).status_code == 404
    assert AuditEntry.objects.filter(actor_id=guest_user.pk, allowed=False).count() == 3


def test_the_page_says_a_guest_gets_the_invitation_only(person, gp, gp_client):
    made = meeting(person, gp, guests=[services.Guest("Els Wouters", "els@example.org")])
    body = gp_client.get(_url("detail", person, made)).content.decode()
    assert "Guests from outside the team receive the invitation only, never the dossier." in body


def test_attendance_and_a_decision_are_recorded_from_the_page(person, gp, nurse, gp_client):
    made = meeting(person, gp, nurse)
    nurse_row = made.participants.get(membership__user=nurse)
    form = {
        "meeting": str(made.public_id),
        "version": "1",
        "minutes": "De trap is een probleem.",
        "person_agreed": "on",
    }
    for participant in made.participants.all():
        key = participant.public_id
        form[f"attendance-{key}"] = "in_person"
        form[f"profession-{key}"] = ""
        form[f"riziv-{key}"] = "1-87497-04-477" if participant == nurse_row else ""
    assert gp_client.post(_url("record", person), form).status_code == 302
    nurse_row.refresh_from_db()
    assert (nurse_row.attendance, nurse_row.riziv_number) == ("in_person", "18749704477")

    due = timezone.localdate() + timedelta(days=10)
    response = gp_client.post(
        _url("decision", person),
        {
            "meeting": str(made.public_id),
            "text": "Sofie vraagt een trapleuning aan.",
            "who": str(membership_of(person, nurse).public_id),
            "due_on": due.isoformat(),
            "goal": "",
        },
    )
    assert response.status_code == 302
    made_action = PlanAction.objects.get()
    assert (made_action.owner.user, made_action.due_on, made_action.origin) == (nurse, due, "meeting")


def test_a_stale_version_on_the_page_is_told_and_keeps_the_first_change(person, gp, nurse, gp_client):
    made = meeting(person, gp, nurse)
    form = {"meeting": str(made.public_id), "version": "1", "minutes": "Eerste versie."}
    for participant in made.participants.all():
        form[f"attendance-{participant.public_id}"] = "in_person"
    assert gp_client.post(_url("record", person), form).status_code == 302
    response = gp_client.post(_url("record", person), {**form, "minutes": "Tweede versie."})
    assert response.status_code == 422
    assert "Someone else changed this meeting." in response.content.decode()
    assert Meeting.objects.get(pk=made.pk).minutes == "Eerste versie."


def test_closing_without_next_date_or_reason_shows_the_error_and_changes_nothing(person, gp, gp_client):
    made = meeting(person, gp)
    response = gp_client.post(_url("close", person), {"meeting": str(made.public_id), "version": "1"})
    assert response.status_code == 200
    assert "Give the date of the next meeting, or say why there is no next meeting." in response.content.decode()
    assert Meeting.objects.get(pk=made.pk).status == Meeting.Status.PLANNED
    assert Meeting.objects.count() == 1


def test_closing_with_the_next_date_from_the_page(person, gp, nurse, gp_client):
    made = meeting(person, gp, nurse)
    next_day = timezone.localdate() + timedelta(days=60)
    response = gp_client.post(
        _url("close", person),
        {"meeting": str(made.public_id), "version": "1", "next_day": next_day.isoformat(), "next_start": "10:00"},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Meeting.Status.CLOSED
    assert timezone.localtime(made.next_meeting.starts_at).date() == next_day


def test_the_cancel_page_says_what_it_does_and_who_is_told(person, gp, nurse, gp_client):
    made = meeting(person, gp, nurse)
    body = gp_client.get(_url("cancel", person, made)).content.decode()
    assert "Everyone invited is told" in body and nurse.full_name in body
    assert Meeting.objects.get(pk=made.pk).status == Meeting.Status.PLANNED  # a GET changes nothing
    response = gp_client.post(
        _url("cancel", person), {"meeting": str(made.public_id), "version": "1", "reason": "Jozef is opgenomen."}
    )
    assert response.status_code == 302
    assert Meeting.objects.get(pk=made.pk).status == Meeting.Status.CANCELLED


def test_the_minutes_pdf_is_gated_and_audited_as_an_export(person, gp, nurse, caregiver_client, monkeypatch):
    made = meeting(person, gp, nurse)
    present(made, gp)
    made.refresh_from_db()
    services.add_decision(
        gp,
        made,
        text="Sofie vraagt een trapleuning aan.",
        owner=membership_of(person, nurse),
        due_on=timezone.localdate(),
    )
    printed: list[str] = []
    monkeypatch.setattr(printing.pdf, "render", lambda html: printed.append(html) or b"%PDF-1.7 test")
    response = caregiver_client.get(_url("minutes-pdf", person, made))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="schakel-minutes.pdf"'
    [html] = printed
    for text in ("Sofie vraagt een trapleuning aan.", nurse.full_name, "Attendance", "present in person", "Minutes"):
        assert text in html
    exported = AuditEntry.objects.filter(action=Action.MEETINGS_MINUTES_EXPORTED, event="export")
    assert sorted(exported.values_list("category", flat=True)) == ["identity", "plan"]


def test_the_minutes_pdf_renders_with_weasyprint(person, gp, gp_client):
    made = meeting(person, gp)
    response = gp_client.get(_url("minutes-pdf", person, made))
    assert response.content.startswith(b"%PDF")


def test_the_meeting_page_costs_the_same_queries_for_more_participants_and_decisions(
    person, gp, nurse, caregiver, pharmacist, gp_client
):
    small = meeting(person, gp, nurse)
    services.add_decision(gp, small, text="Eén.", owner=membership_of(person, nurse), due_on=timezone.localdate())
    gp_client.get(_url("detail", person, small))  # warm what is cached per process
    with CaptureQueriesContext(connection) as few:
        assert gp_client.get(_url("detail", person, small)).status_code == 200
    big = meeting(person, gp, nurse, caregiver, pharmacist, guests=[services.Guest("Els", "els@example.org")])
    target = goal(person, gp)
    for owner in (nurse, caregiver, pharmacist, gp):
        services.add_decision(
            gp,
            big,
            text=f"Taak voor {owner}.",
            owner=membership_of(person, owner),
            due_on=timezone.localdate(),
            goal=target,
        )
        services.add_question(gp, big, text=f"Vraag over {owner}?")
    with CaptureQueriesContext(connection) as many:
        assert gp_client.get(_url("detail", person, big)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
