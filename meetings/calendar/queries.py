"""Gated reads of the calendar work: one meeting for its .ics or its answer page (category plan,
read), the user's feeds, and the meetings a feed lists (each person's gate decided, one audit
row per person per read)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from access import gate
from access.queries import resolve_person
from accounts.models import User
from core.actions import Action
from core.vocab import Category, Level
from meetings.models import CalendarFeed, Meeting
from teams.models import Membership

# The feed lists meetings from this long ago on, and every meeting to come.
FEED_PAST_DAYS = 90


def meeting_for(
    actor: User, person_id: uuid.UUID, meeting_id: uuid.UUID, *, action: str, audit_granted: bool = True
) -> Meeting:
    """A meeting of the person, for a reader of their plan. An unknown person or meeting, or a
    meeting of someone else, is the same audited 404 as a refusal. `audit_granted=False` before
    a change, which the service audits itself (refusals are always audited)."""
    person = resolve_person(actor, person_id, action)
    meeting = Meeting.objects.select_related("person", "organiser").filter(person=person, public_id=meeting_id).first()
    if meeting is None:
        gate.refuse(actor, action, {"meeting": str(meeting_id)})
    decision = gate.decide(actor, person, Category.PLAN, Level.READ)
    gate.enforce(actor, person, decision, action=action, audit_granted=audit_granted)
    return meeting


def feeds_for(user: User) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(user=user)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed behind a token, or None (unknown, revoked, or its account deactivated)."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=CalendarFeed.hash_token(token), revoked_at=None, user__is_active=True)
        .first()
    )


def feed_allowed(feed: CalendarFeed) -> bool:
    """Count one read of the feed in its hour; False once it was read more than the setting
    allows (a leaked URL polled by a script is slowed down, a calendar app never notices)."""
    key = f"meetings:feed:{feed.pk}"
    cache.add(key, 0, timeout=3600)
    try:
        reads = cache.incr(key)
    except ValueError:  # the hour ended between add and incr
        cache.add(key, 0, timeout=3600)
        reads = cache.incr(key)
    return reads <= settings.MEETINGS_FEED_READS_PER_HOUR


def feed_meetings(feed: CalendarFeed) -> list[Meeting]:
    """The meetings the feed lists: those the user is invited to through a membership active now,
    from FEED_PAST_DAYS ago on, of persons whose plan the gate lets them read now. A membership
    ended, an exclusion or a withdrawn consent takes the meetings out at the next read. Each
    person listed gets one audit row for this read."""
    user = feed.user
    now = timezone.now()
    memberships = Membership.objects.active(now).filter(user=user)
    meetings = list(
        Meeting.objects.filter(participants__membership__in=memberships, starts_at__gte=now - timedelta(FEED_PAST_DAYS))
        .select_related("person", "organiser")
        .distinct()
        .order_by("starts_at", "pk")
    )
    decisions = {}
    for person in {meeting.person_id: meeting.person for meeting in meetings}.values():
        decision = gate.decide(user, person, Category.PLAN, Level.READ)
        if decision.allowed:
            decisions[person.pk] = (person, decision)
    gate.audit_listed(user, list(decisions.values()), action=Action.MEETINGS_CALENDAR_FEED_READ)
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    return [meeting for meeting in meetings if meeting.person_id in decisions]
