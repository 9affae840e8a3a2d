from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from access.relationships import Relationship
from accounts.models import User
from people.models import Person
from teams.models import Membership


class TeamKind:
    """Membership of the person's care team, in the role recorded on the membership."""

    code = "team"
    label = _("care-team membership")

    def find(self, actor: User, person: Person, now: datetime) -> Iterable[Relationship]:
        for membership in Membership.objects.active(now).filter(person=person, user=actor):
            yield Relationship(
                self.code, membership.profile, is_coordinator=membership.is_coordinator, until=membership.until
            )

    def person_ids(self, actor: User, now: datetime) -> QuerySet[Any]:
        return Membership.objects.active(now).filter(user=actor).values_list("person_id", flat=True)
