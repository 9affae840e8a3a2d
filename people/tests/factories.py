import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from access.models import Consent
from people.models import Person
from teams.models import Membership
from teams.services import default_until


def synthetic_insz(n: int) -> str:
    """A checksum-valid, synthetic INSZ for someone born 1940-01-01 + n days (never a real one:
    serial numbers from 900 up are not used for these fixtures' birth dates in practice)."""
    from datetime import date, timedelta

    born = date(1940, 1, 1) + timedelta(days=n % 20000)
    serial = 900 + n % 98
    base = f"{born:%y%m%d}{serial:03d}"
    check = 97 - int(base) % 97
    return f"{base}{check:02d}"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    insz = factory.Sequence(synthetic_insz)
    local_id = factory.Sequence(lambda n: f"L-TEST{n:06d}")
    given_name = factory.Faker("first_name", locale="nl_BE")
    family_name = factory.Faker("last_name", locale="nl_BE")


def join_team(person, user, *, is_coordinator=False, profile=None):  # type: ignore[no-untyped-def]
    now = timezone.now()
    profile = profile or user.profile
    return Membership.objects.create(
        person=person,
        user=user,
        profile=profile,
        is_coordinator=is_coordinator,
        since=now,
        until=default_until(profile, now),
    )


def consent_for(person, *, recorded_by):  # type: ignore[no-untyped-def]
    return Consent.objects.create(
        person=person, basis=Consent.Basis.CONSENT, given_by="person", recorded_by=recorded_by
    )
