"""The rules that are not matrix cells (access.rules), and what pages are offered from them."""

import pytest
from django.urls import reverse

from access import gate, rules
from accounts.tests.factories import UserFactory
from conftest import client_for
from core.vocab import Category, Level, Profile
from people.models import Person
from people.tests.factories import section_row


@pytest.mark.parametrize(
    ("profile", "invites", "curates", "searches", "registers", "actions"),
    [
        (Profile.ZONE_ADMIN, True, True, False, False, False),
        (Profile.HELPDESK, False, True, False, False, True),
        (Profile.DPO, False, False, True, False, False),
        (Profile.GP, False, False, False, True, True),
    ],
)
def test_the_menu_of_the_zone_roles_comes_from_the_rules(db, profile, invites, curates, searches, registers, actions):
    user = UserFactory(profile=profile)
    assert rules.navigation_flags(user) == rules.NavigationFlags(invites, curates, searches, registers, actions)
    page = client_for(user).get(reverse("home")).content.decode()
    assert (f'href="{reverse("plans:my-actions")}"' in page) is actions
    assert (reverse("audit:search") in page) is searches
    assert (reverse("accounts:invitations") in page) is invites
    assert (reverse("people:register") in page) is registers


def test_an_inactive_zone_admin_is_no_zone_admin(db):
    assert not rules.is_zone_admin(UserFactory(profile=Profile.ZONE_ADMIN, is_active=False))


def test_the_person_page_flags(person, gp, nurse, person_user):
    own = rules.person_page_flags(person_user, person)
    assert (own.manages_own_rights, own.may_record_consent, own.may_close) == (True, False, True)
    coordinator = rules.person_page_flags(gp, person)
    assert (coordinator.manages_own_rights, coordinator.may_record_consent, coordinator.may_close) == (
        False,
        True,
        True,
    )
    member = rules.person_page_flags(nurse, person)
    assert (member.manages_own_rights, member.may_record_consent, member.may_close) == (False, False, False)
    assert not member.may_merge  # the record has an INSZ, and the nurse does not coordinate
    Person.objects.filter(pk=person.pk).update(insz=None)
    person.refresh_from_db()
    assert rules.person_page_flags(gp, person).may_merge


def test_a_readers_refused_write_is_a_403_page_that_says_so(person, nurse):
    """The page does not decide the answer: the gate does, and the middleware shows its sentence."""
    entry = section_row(person, "preferences")
    assert gate.decide(nurse, person, Category.WISHES, Level.READ).allowed
    assert not gate.decide(nurse, person, Category.WISHES, Level.WRITE).allowed
    response = client_for(nurse).post(
        reverse("people:section-preferences", args=[person.public_id]),
        {"item": str(entry.public_id), "version": "1", "area": "food", "text": "Soup"},
    )
    assert response.status_code == 403
    assert "You may read this but not change it." in response.content.decode()


def test_an_excluded_member_may_not_close_and_is_told_nothing(person, nurse, person_user):
    from access.models import Exclusion

    Exclusion.objects.create(person=person, excluded=nurse, recorded_by=person_user)
    decision = rules.closing(nurse, person)
    assert (decision.allowed, decision.reason, decision.status, decision.message) == (False, "excluded", 404, "")


def test_a_member_who_may_not_close_is_told_so(person, nurse):
    decision = rules.closing(nurse, person)
    assert (decision.allowed, decision.status) == (False, 403)
    assert decision.message
