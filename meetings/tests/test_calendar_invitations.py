"""Calendar invitations (MDO-05): the sequence of iTIP files a participant receives, their neutral
content, the in-app notifications, and that nothing is sent inside the request or for a change
that rolled back."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from icalendar import Calendar

from meetings import invitations
from meetings.calendar import tasks
from meetings.models import Meeting
from meetings.tests.calendar_factories import invite, meeting
from notifications.models import Notification
from teams.models import Membership

pytestmark = pytest.mark.django_db

OUTSIDE = ("sociaal.huis@example.org", "Lotte Hermans")


def _calendar(message) -> Calendar:
    [attachment] = message.attachments
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_payload(decode=True))
    assert calendar["METHOD"] == attachment.get_param("method")
    return calendar


def _mail_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def _plan(django_capture_on_commit_callbacks, made, invited):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_planned(made, invited)


def test_plan_change_cancel_make_one_event_with_a_rising_sequence(
    person, gp, nurse, django_capture_on_commit_callbacks
):
    made = meeting(person, gp, place="Wijkgezondheidscentrum De Brug")
    _plan(django_capture_on_commit_callbacks, made, invite(made, gp, nurse))

    Meeting.objects.filter(pk=made.pk).update(
        starts_at=made.starts_at + timedelta(hours=2),
        ends_at=made.ends_at + timedelta(hours=2),
        sequence=1,
        updated_by=gp,
    )
    made.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_changed(made)

    Meeting.objects.filter(pk=made.pk).update(status=Meeting.Status.CANCELLED, sequence=2, updated_by=gp)
    made.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_cancelled(made)

    files = [_calendar(message) for message in _mail_to(nurse.email)]
    assert [str(c["METHOD"]) for c in files] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [c.walk("VEVENT")[0] for c in files]
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    assert {str(e["UID"]) for e in events} == {f"{made.calendar_uid}@schakel"}
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    for calendar, event in zip(files, events, strict=True):
        [zone] = calendar.walk("VTIMEZONE")
        assert str(zone["TZID"]) == "Europe/Brussels"
        assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert event["DTEND"].params["TZID"] == "Europe/Brussels"
        assert str(event["ORGANIZER"]) == f"mailto:{gp.email}"
        assert event["ORGANIZER"].params["CN"] == "Schakel"
        assert str(event["ATTENDEE"]) == f"mailto:{nurse.email}"  # only the recipient
        assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
        assert "DTSTAMP" in event
    assert events[0].decoded("DTSTART").hour == 14
    assert events[1].decoded("DTSTART").hour == 16  # the change moved it, same event
    assert events[0]["ATTENDEE"].params["RSVP"] == "TRUE"
    assert events[0]["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert str(events[0]["LOCATION"]) == "Wijkgezondheidscentrum De Brug"
    # The organiser's calendar gets the same files.
    assert len(_mail_to(gp.email)) == 3


def test_the_content_is_neutral(person, gp, nurse, django_capture_on_commit_callbacks):
    made = meeting(person, gp, kind=Meeting.Kind.MEDICATION, at_home=True, place="Kerkstraat 12, Leuven")
    _plan(django_capture_on_commit_callbacks, made, invite(made, nurse))
    [message] = mail.outbox
    event = _calendar(message).walk("VEVENT")[0]
    with translation.override(nurse.language):
        assert str(event["SUMMARY"]) == translation.gettext("Schakel meeting")
    assert "LOCATION" not in event  # the person's home never leaves Schakel
    everything = message.subject + message.body + _calendar(message).to_ical().decode()
    for secret in ("Kerkstraat", "Jozef", "Wouters", person.insz, "medication", "medicatie", "MDO"):
        assert secret not in everything
    assert f"/meetings/person/{person.public_id}/meeting/?meeting={made.public_id}" in message.body


def test_a_place_naming_the_person_is_left_out(person, gp, nurse, django_capture_on_commit_callbacks):
    made = meeting(person, gp, place="Bij Jozef Wouters")
    _plan(django_capture_on_commit_callbacks, made, invite(made, nurse))
    assert "LOCATION" not in _calendar(mail.outbox[0]).walk("VEVENT")[0]


def test_each_recipient_reads_their_own_language(person, gp, nurse, django_capture_on_commit_callbacks):
    nurse.language = "fr"
    nurse.save(update_fields=["language"])
    made = meeting(person, gp)
    _plan(django_capture_on_commit_callbacks, made, invite(made, nurse))
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "fr"
    with translation.override("fr"):
        assert str(_calendar(message).walk("VEVENT")[0]["SUMMARY"]) == translation.gettext("Schakel meeting")
        assert translation.gettext("This e-mail holds no names or care information on purpose.") in message.body


def test_an_invitee_from_outside_the_team_gets_an_answer_link_and_no_page(
    person, gp, django_capture_on_commit_callbacks
):
    made = meeting(person, gp)
    _plan(django_capture_on_commit_callbacks, made, invite(made, outsiders=[OUTSIDE]))
    [message] = mail.outbox
    assert message.to == [OUTSIDE[0]]
    assert message.extra_headers["Content-Language"] == gp.language  # the organiser's
    assert "/meetings/reply/" in message.body
    assert "/meetings/person/" not in message.body
    event = _calendar(message).walk("VEVENT")[0]
    assert str(event["ATTENDEE"]) == f"mailto:{OUTSIDE[0]}"


def test_members_are_notified_in_app_but_not_the_one_who_made_the_change(
    person, gp, nurse, caregiver, django_capture_on_commit_callbacks
):
    made = meeting(person, gp)
    _plan(django_capture_on_commit_callbacks, made, invite(made, gp, nurse, caregiver))
    kinds = Notification.objects.filter(kind=Notification.Kind.MEETING_INVITED)
    assert sorted(kinds.values_list("recipient_id", flat=True)) == sorted([nurse.pk, caregiver.pk])
    assert kinds.first().params == {"meeting": str(made.public_id)}
    Meeting.objects.filter(pk=made.pk).update(status=Meeting.Status.CANCELLED, sequence=1, updated_by=nurse)
    made.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_cancelled(made)
    cancelled = Notification.objects.filter(kind=Notification.Kind.MEETING_CANCELLED)
    assert sorted(cancelled.values_list("recipient_id", flat=True)) == sorted([gp.pk, caregiver.pk])


def test_nothing_is_sent_before_the_commit_nor_after_a_rollback(person, gp, nurse, django_capture_on_commit_callbacks):
    made = meeting(person, gp)
    invited = invite(made, nurse)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitations.meeting_planned(made, invited)
    assert len(callbacks) == 1 and mail.outbox == []  # queued on commit only
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        invitations.meeting_planned(made, invited)
        raise RuntimeError("the meeting's change failed")
    assert mail.outbox == []


def test_a_task_that_a_later_change_overtook_sends_nothing(person, gp, nurse):
    made = meeting(person, gp)
    [participant] = invite(made, nurse)
    Meeting.objects.filter(pk=made.pk).update(sequence=1)
    sent = tasks.send_invitations.call(
        meeting_id=made.pk, participant_ids=[participant.pk], change="planned", sequence=0
    )
    assert (sent, mail.outbox) == (0, [])


def test_a_member_who_left_or_was_deactivated_gets_nothing(
    person, gp, nurse, caregiver, django_capture_on_commit_callbacks
):
    made = meeting(person, gp)
    invited = invite(made, nurse, caregiver)
    Membership.objects.filter(person=person, user=nurse).update(until=made.created_at)
    caregiver.is_active = False
    caregiver.save(update_fields=["is_active"])
    _plan(django_capture_on_commit_callbacks, made, invited)
    assert mail.outbox == []
    assert not Notification.objects.filter(kind=Notification.Kind.MEETING_INVITED).exists()


def test_someone_the_person_excluded_after_the_invitation_hears_nothing_more(
    person, gp, nurse, person_user, django_capture_on_commit_callbacks
):
    from access.models import Exclusion

    made = meeting(person, gp)
    _plan(django_capture_on_commit_callbacks, made, invite(made, nurse))
    mail.outbox.clear()
    Exclusion.objects.create(person=person, excluded=nurse, recorded_by=person_user)
    Meeting.objects.filter(pk=made.pk).update(sequence=1, updated_by=gp)
    made.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_changed(made)
    assert _mail_to(nurse.email) == []
    assert not Notification.objects.filter(recipient=nurse, kind=Notification.Kind.MEETING_CHANGED).exists()
