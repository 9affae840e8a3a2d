"""What audit contributes to the DPO's home page (core.homes): their own latest searches of the
access log, to take one up again. Read through the DPO's own rows (the log's actor index)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model

from audit.models import AuditEntry
from core import homes
from core.actions import Action
from core.vocab import Profile

RECENT_SEARCHES = 5


@dataclass(frozen=True)
class RecentSearch:
    searched_at: datetime
    user_id: str  # the searched user's public id, for the link
    name: str
    profile_label: str


def recent_searches(user: Any, params: Mapping[str, str]) -> list[RecentSearch]:
    """The users this DPO searched for lately, each once, the latest search first."""
    rows = AuditEntry.objects.filter(actor_id=user.pk, action=Action.AUDIT_SEARCHED).order_by("-created_at", "-id")
    latest: dict[str, datetime] = {}
    for created_at, detail in rows.values_list("created_at", "detail")[:50]:
        searched = (detail or {}).get("user")
        if searched and searched not in latest:
            latest[searched] = created_at
        if len(latest) == RECENT_SEARCHES:
            break
    users = {str(u.public_id): u for u in get_user_model().objects.filter(public_id__in=list(latest))}
    return [
        RecentSearch(when, public_id, users[public_id].full_name, users[public_id].profile_label)
        for public_id, when in latest.items()
        if public_id in users
    ]


def register() -> None:
    homes.register_summary("log_searches", recent_searches, [Profile.DPO])
