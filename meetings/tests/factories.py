"""Meetings for tests, made through meetings.services (so with history, audit rows and the
invitation hooks), and a shortcut to plan a meeting that has begun (one that can be closed)."""

from datetime import datetime, timedelta

from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from plans.tests.factories import membership_of


def an_hour_ago() -> datetime:
    return timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)


def meeting(person, organiser, *members, starts_at=None, with_person=True, guests=(), **fields) -> Meeting:
    """An MDO with these members of the person's team (users), the person, and guests; by
    default it began an hour ago, so that it can be closed."""
    starts_at = starts_at or an_hour_ago()
    return services.plan_meeting(
        organiser,
        person,
        kind=fields.pop("kind", Meeting.Kind.MDO),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + timedelta(hours=1)),
        place=fields.pop("place", "Bij Jozef thuis"),
        at_home=fields.pop("at_home", True),
        members=[membership_of(person, user) for user in members],
        with_person=with_person,
        guests=list(guests),
        **fields,
    )


def present(meeting_, organiser, *, minutes="Besproken: de trap en de maaltijden.", **presence) -> Meeting:
    """Record everyone present in person (or as `presence` says, by participant id)."""
    rows = {
        str(p.public_id): services.Presence(presence.get(str(p.public_id), "in_person"))
        for p in meeting_.participants.all()
    }
    return services.record_attendance(
        organiser, meeting_, version=meeting_.version, minutes=minutes, person_agreed=True, presence=rows
    )
