"""The relationship kinds the access app itself provides (teams, and later hospital stays and
referrals, register their own)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from access.models import BreakGlassAccess, Mandate, MatrixCategory, Representation
from access.relationships import Relationship
from accounts.models import User
from core.vocab import Level, Profile
from people.models import Person


class SelfKind:
    code = "self"
    label = _("the person themself")

    def find(self, actor: User, person: Person, now: datetime) -> Iterable[Relationship]:
        if person.account_id is not None and person.account_id == actor.pk:
            yield Relationship(self.code, Profile.PERSON, needs_consent=False)

    def person_ids(self, actor: User, now: datetime) -> QuerySet[Any]:
        return Person.objects.filter(account=actor, merged_into=None).values_list("pk", flat=True)


class RepresentativeKind:
    code = "representative"
    label = _("legal representative")

    def find(self, actor: User, person: Person, now: datetime) -> Iterable[Relationship]:
        rows = Representation.objects.active(now).filter(person=person, representative=actor)
        for row in rows:
            # The representative acts for the person, as a mandate holder does: the audit names
            # the person as the responsible user (NEN 7513).
            yield Relationship(
                self.code, Profile.REPRESENTATIVE, needs_consent=False, acting_for_id=person.account_id, until=row.until
            )

    def person_ids(self, actor: User, now: datetime) -> QuerySet[Any]:
        return Representation.objects.active(now).filter(representative=actor).values_list("person_id", flat=True)


class MandateKind:
    code = "mandate"
    label = _("mandate to act for the person")

    def find(self, actor: User, person: Person, now: datetime) -> Iterable[Relationship]:
        for mandate in Mandate.objects.active(now).filter(person=person, holder=actor):
            # The holder reads with the person's own row, limited to the mandate's scope, and
            # the audit names the person as the responsible user.
            yield Relationship(
                self.code,
                Profile.PERSON,
                categories=frozenset(mandate.categories),
                needs_consent=False,
                acting_for_id=person.account_id,
                until=mandate.until,
            )

    def person_ids(self, actor: User, now: datetime) -> QuerySet[Any]:
        return Mandate.objects.active(now).filter(holder=actor).values_list("person_id", flat=True)


class BreakGlassKind:
    code = "break_glass"
    label = _("emergency access (break the glass)")

    def find(self, actor: User, person: Person, now: datetime) -> Iterable[Relationship]:
        grants = list(BreakGlassAccess.objects.active(now).filter(person=person, actor=actor))
        if grants:
            emergency = frozenset(MatrixCategory.objects.filter(emergency=True).values_list("code", flat=True))
            # Vital interest (GDPR art. 9(2)(c)) stands in for consent; an exclusion still blocks.
            yield Relationship(
                self.code,
                actor.profile,
                categories=emergency,
                max_level=Level.READ,
                needs_consent=False,
                until=max(grant.until for grant in grants),
            )

    def person_ids(self, actor: User, now: datetime) -> QuerySet[Any]:
        return BreakGlassAccess.objects.active(now).filter(actor=actor).values_list("person_id", flat=True)
