from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from access.relationships import Relationship
from accounts.models import User
from core.vocab import Profile
from people.models import Person
from teams.models import Membership


class TeamKind:
    """Membership of the person's care team, in the role recorded on the membership.

    The person's own account may be a member of their own team as the person themself (profile
    `person`), so that actions can be given to them (issue 12). That membership adds nothing to
    the person's own relationship (access.kinds.SelfKind): the same matrix row, no consent needed
    by the person for themself. A `person` membership of any other account (one left behind by a
    merge of two records, say) gives nothing at all: only the person reads with the person's row.
    """

    code = "team"
    label = _("care-team membership")

    def find(self, actor: User, person: Person, now: datetime) -> Iterable[Relationship]:
        for membership in Membership.objects.active(now).filter(person=person, user=actor):
            the_person = membership.profile == Profile.PERSON
            if the_person and person.account_id != actor.pk:
                continue
            yield Relationship(
                self.code,
                membership.profile,
                needs_consent=not the_person,
                is_coordinator=membership.is_coordinator,
                until=membership.until,
            )

    def person_ids(self, actor: User, now: datetime) -> QuerySet[Any]:
        foreign_person_row = Q(profile=Profile.PERSON) & ~Q(person__account=actor)
        return (
            Membership.objects.active(now)
            .filter(user=actor)
            .exclude(foreign_person_row)
            .values_list("person_id", flat=True)
        )
