"""The home page of each profile: every user lands on the page of their own work (the zone admin
on the matrix, the accounts, the social map and retention; the DPO on the access log, closings
and exports; the helpdesk on the social map; a care worker on the persons they care for).

The home view (people.views.home) asks this registry which page a user gets and what is on it;
it never tests a profile itself. Each app registers, in its AppConfig.ready(), what it owns:
people the pages (their templates), and every app the summaries of its own work on them (accounts
the pending invitations, directory the services waiting for curation, ...). A summary is a
function of the user and the request's query parameters; it reads only what that user may read,
through the same rules and gate as the pages it links to. `core` is the lowest layer: this
module imports no other app, the registrations bring their functions with them.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# (user, query parameters) -> what the page shows of that work
Summary = Callable[[Any, Mapping[str, str]], object]

# The page of every profile that has no page of its own: the care and circle profiles.
OTHER_PROFILES = "*"


@dataclass(frozen=True)
class HomePage:
    template: str
    summaries: dict[str, Summary]


_TEMPLATES: dict[str, str] = {}
_SUMMARIES: dict[str, dict[str, Summary]] = {}


def register_page(template: str, profiles: Iterable[str] = (OTHER_PROFILES,)) -> None:
    for profile in profiles:
        _TEMPLATES[str(profile)] = template


def register_summary(key: str, summary: Summary, profiles: Iterable[str] = (OTHER_PROFILES,)) -> None:
    for profile in profiles:
        _SUMMARIES.setdefault(str(profile), {})[key] = summary


def _own(profile: str) -> str:
    return profile if profile in _TEMPLATES else OTHER_PROFILES


def page_for(profile: str) -> HomePage:
    """The page a profile lands on, and the summaries registered for it."""
    own = _own(profile)
    return HomePage(_TEMPLATES[own], dict(_SUMMARIES.get(own, {})))


def home_for(user: Any, params: Mapping[str, str]) -> tuple[str, dict[str, object]]:
    """The user's home page: its template, and each of its summaries for this user."""
    page = page_for(user.profile)
    return page.template, {key: summary(user, params) for key, summary in page.summaries.items()}
