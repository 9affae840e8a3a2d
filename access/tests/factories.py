"""Rows of access's models for tests that need them as given; tests of the changes themselves go
through access.services. By default each row concerns a fresh person; pass the fixtures' users."""

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from access.models import BreakGlassAccess, Consent, Exclusion, Mandate, Representation
from accounts.tests.factories import UserFactory
from core.vocab import Category, Profile
from people.tests.factories import PersonFactory


class ConsentFactory(DjangoModelFactory):
    """The person's own consent to share with the whole care team."""

    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    basis = Consent.Basis.CONSENT
    given_by = "person"
    recorded_by = factory.SubFactory(UserFactory)


class RepresentationFactory(DjangoModelFactory):
    class Meta:
        model = Representation

    person = factory.SubFactory(PersonFactory)
    representative = factory.SubFactory(UserFactory, profile=Profile.REPRESENTATIVE)
    legal_ground = "Vrederechter Leuven, 2025"
    recorded_by = factory.SubFactory(UserFactory)


def _persons_own_account(row: Any) -> Any:
    """The person acts through their account (a fresh one when the record has none)."""
    return row.person.account or UserFactory.create(profile=Profile.PERSON)


class MandateFactory(DjangoModelFactory):
    """A mandate the person granted for their wishes."""

    class Meta:
        model = Mandate

    person = factory.SubFactory(PersonFactory)
    holder = factory.SubFactory(UserFactory, profile=Profile.INFORMAL_CAREGIVER)
    granted_by = factory.LazyAttribute(_persons_own_account)
    categories = factory.LazyFunction(lambda: [Category.WISHES])


class ExclusionFactory(DjangoModelFactory):
    """The person excludes someone."""

    class Meta:
        model = Exclusion

    person = factory.SubFactory(PersonFactory)
    excluded = factory.SubFactory(UserFactory)
    recorded_by = factory.LazyAttribute(_persons_own_account)


class BreakGlassAccessFactory(DjangoModelFactory):
    """Emergency access by a hospital doctor, open for the next 24 hours."""

    class Meta:
        model = BreakGlassAccess

    person = factory.SubFactory(PersonFactory)
    actor = factory.SubFactory(UserFactory, profile=Profile.HOSPITAL_DOCTOR)
    reason = "Unconscious at the emergency department"
    until = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=24))
