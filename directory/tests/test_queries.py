"""Contact points for professionals only reach logged-in professionals, never the public or a
person's own circle (the service page calls contacts_for)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.tests.factories import UserFactory
from core.vocab import Profile
from directory import models as m
from directory.queries import contacts_for, visible_phones
from interop.tests import samples


def service() -> m.Service:
    return m.Service.objects.published().get(hsds_id=samples.uid("service", 1))


@pytest.mark.parametrize("profile", [Profile.GP, Profile.NURSE, Profile.SOCIAL_WORKER, Profile.HELPDESK])
def test_professionals_see_the_named_contact_and_the_priority_number(published, profile):
    points = contacts_for(UserFactory(profile=profile), service())
    assert points.professional is True
    assert [p.number for p in points.phones] == ["+3225550100", "+3225550199"]
    assert [(c.name, [p.number for p in c.visible_phones]) for c in points.contacts] == [
        ("Greet Staff", ["+3225550177"])
    ]


@pytest.mark.parametrize("profile", [Profile.INFORMAL_CAREGIVER, Profile.PERSON, Profile.FAMILY])
def test_the_persons_circle_sees_only_public_points(published, profile):
    points = contacts_for(UserFactory(profile=profile), service())
    assert (points.professional, [p.number for p in points.phones], points.contacts) == (False, ["+3225550100"], [])


def test_the_public_sees_only_public_points(published):
    points = contacts_for(AnonymousUser(), service())
    assert (points.professional, [p.number for p in points.phones], points.contacts) == (False, ["+3225550100"], [])


def test_an_inactive_professional_sees_only_public_points(published):
    gp = UserFactory(profile=Profile.GP, is_active=False)
    assert contacts_for(gp, service()).professional is False


def test_visible_phones_hides_phones_of_professional_contacts(published):
    phones = m.Phone.objects.published()
    assert set(phones.values_list("number", flat=True)) == {"+3225550100", "+3225550199", "+3225550177"}
    assert set(visible_phones(AnonymousUser(), phones).values_list("number", flat=True)) == {"+3225550100"}
