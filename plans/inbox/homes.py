"""What "My actions" adds to the home page (core.homes): how many actions wait, for the care and
circle profiles; the counts name no one, the inbox behind the link lists them (audited)."""

from collections.abc import Mapping

from accounts.models import User
from core import homes
from plans.inbox import queries


def my_actions(user: User, params: Mapping[str, str]) -> queries.InboxCounts:
    return queries.inbox_counts(user)


def register() -> None:
    homes.register_summary("my_actions", my_actions, [homes.OTHER_PROFILES])
