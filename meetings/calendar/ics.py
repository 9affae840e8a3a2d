"""iCalendar for meetings (MDO-05), built with the `icalendar` library.

Invitations follow iTIP (RFC 5546) carried by e-mail (iMIP, RFC 6047): one UID per meeting for
ever (Meeting.calendar_uid), SEQUENCE = Meeting.sequence (raised by the meetings services on each
change a calendar must see), METHOD:REQUEST when a meeting is planned or changed and METHOD:CANCEL
with STATUS:CANCELLED when it is cancelled. Times carry TZID Europe/Brussels with its VTIMEZONE.

What leaves Schakel is neutral ("Privacy in what leaves Schakel", docs/decisions.md): a title
that names no person and no kind of meeting, the time, a link, and the place only when it is not
the person's home and does not name them. Never an agenda, a decision or an action.

Every file Schakel produces passes through serialise(), which the test suite watches.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from meetings.models import Meeting, Participant

PRODID = "-//Schakel//Schakel meetings//EN"
Method = Literal["REQUEST", "CANCEL", "PUBLISH"]

# The answer kept in Schakel, as an attendee's participation status (RFC 5545 3.2.12).
PARTSTAT: dict[str, str] = {
    Participant.Reply.NONE: "NEEDS-ACTION",
    Participant.Reply.ACCEPTED: "ACCEPTED",
    Participant.Reply.DECLINED: "DECLINED",
    Participant.Reply.TENTATIVE: "TENTATIVE",
}


def uid(meeting: Meeting) -> str:
    return f"{meeting.calendar_uid}@schakel"


def title() -> str:
    """The neutral title, in the active language."""
    return _("Schakel meeting")


def neutral_place(meeting: Meeting) -> str:
    """The place as it may leave Schakel: none for a meeting at the person's home (their address
    must not travel), and none when the text typed names the person or holds their INSZ."""
    place = meeting.place.strip()
    if meeting.at_home or not place:
        return ""
    person = meeting.person
    lowered = place.lower()
    identifying = (person.given_name, person.family_name, person.insz or "", person.claimed_insz, person.local_id)
    if any(word and word.lower() in lowered for word in identifying):
        return ""
    return place


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def _event(meeting: Meeting, *, link: str, description: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", _local(meeting.starts_at))
    event.add("dtend", _local(meeting.ends_at))
    event.add("summary", title())
    event.add("description", description)
    event.add("url", link)
    place = neutral_place(meeting)
    if place:
        event.add("location", place)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _organizer(meeting: Meeting) -> vCalAddress:
    # The organiser's address, so that a calendar knows whose meeting it is; a neutral name.
    organizer = vCalAddress(f"mailto:{meeting.organiser.email}")
    organizer.params["CN"] = "Schakel"
    return organizer


def _calendar(method: Method | None, events: Iterable[Event], moments: list[datetime]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    # The VTIMEZONE of Europe/Brussels, its transitions around the meetings' dates only.
    first = min(moments, default=timezone.now()).date() - timedelta(days=366)
    last = max(moments, default=timezone.now()).date() + timedelta(days=366)
    calendar.add_missing_timezones(first_date=date(first.year, 1, 1), last_date=date(last.year, 12, 31))
    return calendar


def invitation(meeting: Meeting, *, method: Method, attendee: str, reply: str, link: str, description: str) -> Calendar:
    """An iTIP message for one recipient. Each recipient's file names only them as ATTENDEE, so
    no invitee's address (the person's, a caregiver's) travels to the others."""
    stamp = timezone.now()
    event = _event(meeting, link=link, description=description, stamp=stamp)
    event.add("organizer", _organizer(meeting))
    address = vCalAddress(f"mailto:{attendee}")
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = PARTSTAT.get(reply, "NEEDS-ACTION")
    address.params["RSVP"] = "TRUE" if method == "REQUEST" else "FALSE"
    event.add("attendee", address)
    return _calendar(method, [event], [meeting.starts_at])


def download(meeting: Meeting, *, link: str, description: str) -> Calendar:
    """One meeting to add to one's own calendar (METHOD:PUBLISH): same UID and SEQUENCE as the
    invitations, so the calendar updates the same event."""
    event = _event(meeting, link=link, description=description, stamp=timezone.now())
    event.add("organizer", _organizer(meeting))
    return _calendar("PUBLISH", [event], [meeting.starts_at])


def feed(items: list[tuple[Meeting, str, str]]) -> Calendar:
    """A subscribed calendar (no METHOD): one event per (meeting, link, description), cancelled
    ones marked so that the subscriber's calendar drops them."""
    stamp = timezone.now()
    events = [_event(meeting, link=link, description=text, stamp=stamp) for meeting, link, text in items]
    calendar = _calendar(None, events, [meeting.starts_at for meeting, _link, _text in items])
    calendar.add("x-wr-calname", "Schakel")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("x-published-ttl", timedelta(hours=1))
    return calendar


def serialise(calendar: Calendar) -> bytes:
    """The bytes of a calendar, the one way out of Schakel for an .ics (the suite's privacy check
    reads every file produced here)."""
    return calendar.to_ical()
