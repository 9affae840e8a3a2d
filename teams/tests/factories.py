"""Rows of the team's models for tests that need them as given; tests of the changes themselves go
through teams.services. (join_team in people/tests/factories.py adds a member with the usual term.)"""

import uuid
from typing import Any

import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from core.vocab import Category
from people.tests.factories import PersonFactory
from teams.models import HandoverItem, Membership, TeamMessage


class MembershipFactory(DjangoModelFactory):
    """A membership with no end date; the user's own profile is the role unless given."""

    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    user = factory.SubFactory(UserFactory)
    profile = factory.LazyAttribute(lambda membership: membership.user.profile)


class TeamMessageFactory(DjangoModelFactory):
    class Meta:
        model = TeamMessage
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    author = factory.SubFactory(UserFactory)
    category = Category.SITUATION
    body = factory.Sequence(lambda n: f"Team message {n}.")

    @factory.post_generation
    def addressees(message: TeamMessage, create: bool, extracted: list[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            message.addressees.set(extracted)


class HandoverItemFactory(DjangoModelFactory):
    """An open item in the handover queue, from a member who left."""

    class Meta:
        model = HandoverItem

    person = factory.SubFactory(PersonFactory)
    from_user = factory.SubFactory(UserFactory)
    kind = "test.item"
    app_label = "teams"
    item_id = factory.LazyFunction(uuid.uuid4)
    category = Category.SITUATION
    title = factory.Sequence(lambda n: f"Open item {n}")
