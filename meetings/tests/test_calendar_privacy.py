"""The suite-wide privacy check (tests/outgoing.py, run after every database test by the root
conftest) finds a person's name or identifier in an e-mail, its attachments and any .ics, and
lets through only its one documented exception."""

from email.mime.text import MIMEText

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from accounts.models import Invitation
from meetings.calendar import ics
from meetings.tests.calendar_factories import meeting
from tests import outgoing

pytestmark = pytest.mark.django_db


def _message(body="", subject="Schakel", attachment=None):
    message = EmailMessage(subject, body, to=["someone@example.org"])
    if attachment is not None:
        message.attach(attachment)
    return message


def test_a_name_or_an_identifier_anywhere_is_found(person):
    grouped = person.display_id
    assert set(outgoing.findings([_message(body="Hallo Jozef Wouters")], [])) == {
        "name 'Jozef Wouters' in e-mail 1 ('Schakel')",
        "name 'Wouters' in e-mail 1 ('Schakel')",
    }
    assert outgoing.findings([_message(subject=f"Over {grouped}")], []) == [
        f"INSZ {grouped} in e-mail 1 ('Over {grouped}')"
    ]
    folded = MIMEText("DESCRIPTION:Overleg met\\, \r\n Wout\r\n ers", "calendar", "utf-8")
    assert outgoing.findings([_message(attachment=folded)], []) == ["name 'Wouters' in e-mail 1 ('Schakel')"]
    assert outgoing.findings([], [f"SUMMARY:{person.insz}".encode()]) == [f"INSZ {person.insz} in .ics 1"]


def test_neutral_text_and_lower_case_words_pass(person):
    assert outgoing.findings([_message(body="Schakel-overleg, mailto:jozef.wouters@example.org")], []) == []


def test_an_invited_professionals_own_name_is_the_one_exception(person, gp):
    Invitation.objects.create(
        email="els@example.org",
        full_name="Els Wouters",  # shares the person's family name
        profile="nurse",
        token_hash="x" * 64,
        invited_by=gp,
        expires_at=person.registered_at,
    )
    greeting = EmailMessage("Invitation", "Dear Els Wouters,", to=["els@example.org"])
    assert outgoing.findings([greeting], []) == []
    about_the_person = EmailMessage("Invitation", "Dear Els Wouters, about Jozef Wouters", to=["els@example.org"])
    assert outgoing.findings([about_the_person], []) != []


def test_every_ics_produced_in_a_test_is_recorded(person, gp):
    assert ics.serialise.__name__ == "recorded"  # the root conftest's watch is on
    made = meeting(person, gp)
    ics.serialise(ics.download(made, link="https://schakel.example/", description="x"))
    assert mail.outbox == []
