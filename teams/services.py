"""Care-team changes."""

from datetime import datetime, timedelta

from django.conf import settings

from access.vocab import PRIVATE_PROFILES


def default_until(profile: str, since: datetime, term: str = "regular") -> datetime | None:
    """Professional relationships expire (REFERENCE.md: 15 months regular, 3 months occasional,
    1 month emergency); the person's own circle has no default end."""
    if profile in PRIVATE_PROFILES:
        return None
    return since + timedelta(days=settings.ACCESS_RELATIONSHIP_DAYS[term])
