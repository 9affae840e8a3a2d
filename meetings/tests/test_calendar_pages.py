"""A meeting's .ics download and the answers (RSVP) of members and of invitees from outside the
team: gated, audited, and the same 404 for an outsider as for an id that does not exist."""

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from audit.models import AuditEntry
from conftest import client_for
from core.actions import Action
from meetings import invitations
from meetings.calendar import services
from meetings.models import Meeting, Participant
from meetings.tests.calendar_factories import invite, meeting
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _ics_url(made):
    return reverse("meetings:calendar-invitation", args=[made.person.public_id, made.public_id])


def _reply_url(made):
    return reverse("meetings:calendar-reply", args=[made.person.public_id, made.public_id])


def test_a_member_downloads_the_meeting_and_it_parses(person, gp, nurse, nurse_client):
    made = meeting(person, gp)
    response = nurse_client.get(_ics_url(made))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="schakel-meeting.ics"'
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (f"{made.calendar_uid}@schakel", 0)
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert AuditEntry.objects.filter(
        actor_id=nurse.pk, person_id=person.pk, action=Action.MEETINGS_INVITATION_DOWNLOADED, allowed=True
    ).exists()


def test_an_outsider_and_a_meeting_of_someone_else_get_the_404_of_an_unknown_id(person, gp, gp_client, outsider_client):
    made = meeting(person, gp)
    elsewhere = meeting(PersonFactory(), gp)
    unknown = gp_client.get(reverse("meetings:calendar-invitation", args=[person.public_id, uuid.uuid4()]))
    through_this_person = gp_client.get(
        reverse("meetings:calendar-invitation", args=[person.public_id, elsewhere.public_id])
    )
    outsider = outsider_client.get(_ics_url(made))
    assert unknown.status_code == through_this_person.status_code == outsider.status_code == 404
    assert unknown.content == through_this_person.content
    assert AuditEntry.objects.filter(action=Action.MEETINGS_INVITATION_DOWNLOADED, allowed=False).count() == 3


def test_a_member_answers_their_invitation(person, gp, nurse, nurse_client):
    made = meeting(person, gp)
    invite(made, nurse)
    page = nurse_client.get(_reply_url(made))
    assert page.status_code == 200 and b'name="answer"' in page.content
    response = nurse_client.post(_reply_url(made), {"answer": "accepted"})
    assert response.status_code == 302
    assert Participant.objects.get(meeting=made).reply == Participant.Reply.ACCEPTED
    entry = AuditEntry.objects.get(action=Action.MEETINGS_REPLIED)  # the change, once
    assert (entry.actor_id, entry.person_id, entry.detail["reply"]) == (nurse.pk, person.pk, "accepted")
    assert entry.event == AuditEntry.Event.CHANGE


def test_someone_not_invited_or_a_bad_answer_changes_nothing(person, gp, nurse, pharmacist, nurse_client):
    made = meeting(person, gp)
    invite(made, nurse)
    not_invited = client_for(pharmacist).post(_reply_url(made), {"answer": "accepted"})
    with translation.override(pharmacist.language):
        refusal = translation.gettext("You are not invited to this meeting.")
    assert not_invited.status_code == 200 and refusal in not_invited.content.decode()
    bad = nurse_client.post(_reply_url(made), {"answer": "yes please"})
    assert bad.status_code == 200
    assert Participant.objects.get(meeting=made).reply == Participant.Reply.NONE
    assert not AuditEntry.objects.filter(action=Action.MEETINGS_REPLIED, allowed=True).exists()


def test_a_cancelled_meeting_takes_no_answers(person, gp, nurse, nurse_client):
    made = meeting(person, gp, status=Meeting.Status.CANCELLED)
    invite(made, nurse)
    nurse_client.post(_reply_url(made), {"answer": "accepted"})
    assert Participant.objects.get(meeting=made).reply == Participant.Reply.NONE


def _link_from(message) -> str:
    found = re.search(r"https?://[^/\s]+(/meetings/reply/\S+/)", message.body)
    assert found is not None
    return found.group(1)


def test_an_invitee_from_outside_answers_with_the_signed_link(person, gp, client, django_capture_on_commit_callbacks):
    made = meeting(person, gp)
    invited = invite(made, outsiders=[("sociaal.huis@example.org", "Lotte Hermans")])
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_planned(made, invited)
    link = _link_from(mail.outbox[0])
    shown = client.get(link)
    assert shown.status_code == 200
    assert Participant.objects.get(pk=invited[0].pk).reply == Participant.Reply.NONE  # opening changes nothing
    assert client.post(link, {"answer": "tentative"}).status_code == 200
    assert Participant.objects.get(pk=invited[0].pk).reply == Participant.Reply.TENTATIVE
    entry = AuditEntry.objects.get(action=Action.MEETINGS_REPLIED)
    assert (entry.actor_label, entry.person_id) == ("system:meeting_reply_link", person.pk)
    # The invitation gives no access to the dossier: the meeting's pages stay closed.
    assert client.get(_reply_url(made)).status_code == 302  # to the log-in page


def test_a_tampered_link_does_not_work(person, gp, client):
    made = meeting(person, gp)
    [participant] = invite(made, outsiders=[("sociaal.huis@example.org", "Lotte Hermans")])
    link = services.reply_link_path(participant)
    response = client.post(link[:-3] + "xx/", {"answer": "accepted"})
    assert response.status_code == 404
    assert Participant.objects.get(pk=participant.pk).reply == Participant.Reply.NONE
