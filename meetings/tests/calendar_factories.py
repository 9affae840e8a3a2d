"""Meetings and participants for the calendar tests, made with the ORM (the meetings services
are another slice's); the hooks of meetings.invitations are called directly."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from meetings.models import Meeting, Participant
from plans.tests.factories import membership_of

BRUSSELS = ZoneInfo("Europe/Brussels")


def meeting(person, organiser, *, starts_at=None, hours=1, **fields) -> Meeting:
    starts_at = starts_at or (timezone.now() + timedelta(days=7)).astimezone(BRUSSELS).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    return Meeting.objects.create(
        person=person, organiser=organiser, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **fields
    )


def invite(meeting_: Meeting, *users, outsiders=()) -> list[Participant]:
    rows = [Participant.objects.create(meeting=meeting_, membership=membership_of(meeting_.person, u)) for u in users]
    rows += [Participant.objects.create(meeting=meeting_, email=email, name=name) for email, name in outsiders]
    return rows


def at(year, month, day, hour) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=BRUSSELS)
