"""The suite-wide privacy check of what leaves Schakel (issue 12, "Privacy in what leaves
Schakel"). After every test that uses the database, everything the test made to leave Schakel is
read for the persons in the database at that moment:

- every e-mail in django.core.mail.outbox: subject, body, alternative bodies and attachments
  (the .ics of a calendar invitation included);
- every .ics produced by meetings.calendar.ics.serialise(): the invitations, the downloads and
  the private calendar feeds.

It looks for each person's given name with family name, their family name alone (as a whole
word, case-sensitive, so that "Maes" is found and "maes" in an address is not), their INSZ (as
stored and as shown grouped), the INSZ they were registered with, and their local id. Any one
found fails the test, naming what was found where.

All e-mails are read, not only those of meetings and plans. One documented exception: an e-mail
to an invited professional (accounts' invitation) greets them by name and names the inviter; those
two professionals' own names, which a random test name can share with a person's family name, are
taken out of that e-mail before it is read. The rest of it is read like any other.
"""

import re
from collections.abc import Iterator
from email.mime.base import MIMEBase
from typing import Any

import pytest
from django.core import mail

ICS_UNFOLD = re.compile(r"\r?\n[ \t]")
ICS_ESCAPES = {"\\,": ",", "\\;": ";", "\\n": "\n", "\\N": "\n", "\\\\": "\\"}


def ics_text(content: bytes | str) -> str:
    """An .ics as plain text: folded lines joined, escapes undone, so that no name hides across
    a fold or behind a backslash."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    text = ICS_UNFOLD.sub("", text)
    for escaped, plain in ICS_ESCAPES.items():
        text = text.replace(escaped, plain)
    return text


def _attachment_text(attachment: Any) -> str:
    if isinstance(attachment, MIMEBase):
        payload = attachment.get_payload(decode=True)
        return ics_text(payload if isinstance(payload, bytes) else str(attachment.get_payload()))
    _name, content, _mimetype = attachment
    return ics_text(content)


def message_texts(message: Any) -> list[str]:
    texts = [str(message.subject), str(message.body)]
    texts += [str(content) for content, _mimetype in getattr(message, "alternatives", [])]
    texts += [_attachment_text(attachment) for attachment in message.attachments]
    return texts


def _exempt_names(message: Any) -> list[str]:
    """The documented exception: an invited professional's own name and their inviter's."""
    from accounts.models import Invitation

    names = []
    for invitation in Invitation.objects.filter(email__in=message.to).select_related("invited_by"):
        names += [invitation.full_name, invitation.invited_by.full_name]
    return [name for name in names if name]


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    from people.models import Person

    found: list[tuple[str, re.Pattern[str]]] = []
    rows = Person.objects.values_list("given_name", "family_name", "insz", "claimed_insz", "local_id")
    for given, family, insz, claimed, local_id in rows:
        for name in {f"{given} {family}", family}:
            if name.strip():
                found.append((f"name {name!r}", re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")))
        for number in {insz or "", claimed or ""} - {""}:
            grouped = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
            for shown in (number, grouped):
                found.append((f"INSZ {shown}", re.compile(rf"(?<!\d){re.escape(shown)}(?!\d)")))
        if local_id:
            found.append((f"local id {local_id}", re.compile(rf"(?<!\w){re.escape(local_id)}(?!\w)")))
    return found


def findings(messages: list[Any], produced: list[bytes]) -> list[str]:
    """What was found, as "<what> in <where>"; empty when nothing personal left Schakel."""
    if not messages and not produced:
        return []
    patterns = _patterns()
    places: list[tuple[str, str]] = []
    for number, message in enumerate(messages, 1):
        exempt = _exempt_names(message)
        for text in message_texts(message):
            for name in exempt:
                text = text.replace(name, "")
            places.append((f"e-mail {number} ({message.subject!r})", text))
    places += [(f".ics {number}", ics_text(content)) for number, content in enumerate(produced, 1)]
    return [f"{what} in {where}" for where, text in places for what, pattern in patterns if pattern.search(text)]


def _uses_database(request: pytest.FixtureRequest) -> str | None:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        return "transactional_db" if marker.kwargs.get("transaction") else "db"
    return next((name for name in ("transactional_db", "db") if name in request.fixturenames), None)


def watch(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The body of the root conftest's autouse fixture."""
    database = _uses_database(request)
    if database is None:
        yield
        return
    # The database first, so that it is still there when this fixture reads the persons.
    request.getfixturevalue(database)
    from meetings.calendar import ics

    produced: list[bytes] = []
    serialise = ics.serialise

    def recorded(calendar: Any) -> bytes:
        content = serialise(calendar)
        produced.append(content)
        return content

    monkeypatch.setattr(ics, "serialise", recorded)
    yield
    found = findings(list(mail.outbox), produced)
    if found:
        pytest.fail("Personal data left Schakel (tests/outgoing.py): " + "; ".join(found), pytrace=False)
