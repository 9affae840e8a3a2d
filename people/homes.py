"""The home pages, one per kind of work (core.homes): people owns the home view and its
templates; the care and circle profiles see the persons they may read, the zone roles their own
work, which the apps that own it summarise (accounts, access, audit, privacy, directory)."""

from collections.abc import Mapping

from accounts.models import User
from core import homes
from core.vocab import Profile
from people import queries


def persons(user: User, params: Mapping[str, str]) -> queries.PersonList:
    return queries.persons_for(user, params.get("page"))


def register() -> None:
    homes.register_page("people/home.html")
    homes.register_page("people/home_zone_admin.html", [Profile.ZONE_ADMIN])
    homes.register_page("people/home_dpo.html", [Profile.DPO])
    homes.register_page("people/home_helpdesk.html", [Profile.HELPDESK])
    # The helpdesk may be on a care team (the matrix lets it read identity, team and situation).
    homes.register_summary("persons", persons, [homes.OTHER_PROFILES, Profile.HELPDESK])
