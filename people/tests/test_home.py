"""The home page (issue 11): the persons a care worker sees listed go through the gate, each
listing audited; every profile lands on the page of its own work (core.homes)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access import rules
from access import services as access_services
from access.models import BreakGlassAccess, MatrixCell
from accounts.models import Invitation
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for
from core import homes
from core.vocab import Category, Level, Profile
from people import queries, services
from people.tests.factories import PersonFactory, consent_for, join_team
from privacy.models import Closure
from teams.models import Membership

pytestmark = pytest.mark.django_db


def _home(user, **params):
    response = client_for(user).get(reverse("home"), params)
    assert response.status_code == 200
    return response


def _listed(user, **params):
    return _home(user, **params).content.decode()


def _listing_rows(actor):
    return AuditEntry.objects.filter(actor_id=actor.pk, action="people.person_listed")


# ── Point 1: the home list goes through the gate ────────────────────────────────────────────


def test_an_excluded_professional_no_longer_sees_the_person_listed(person, person_user, nurse, gp):
    access_services.exclude_user(person_user, person, nurse)
    body = _listed(nurse)
    assert person.family_name not in body
    assert person.insz not in body
    assert "You have no active relationship with any person yet." in body
    # Nothing about the person is logged for a listing that did not show them.
    assert not AuditEntry.objects.filter(actor_id=nurse.pk, person=person, action="people.person_listed").exists()
    assert person.family_name in _listed(gp)


def test_each_listed_person_is_audited_once_per_view_in_their_own_log(person, gp):
    other = PersonFactory(given_name="Maria", family_name="Aerts", registered_by=gp)
    join_team(other, gp, is_coordinator=True)
    consent_for(other, recorded_by=gp)

    body = _listed(gp)
    assert "Wouters" in body and "Aerts" in body
    rows = _listing_rows(gp)
    assert sorted(rows.values_list("person_id", flat=True)) == sorted([person.pk, other.pk])
    assert set(rows.values_list("category", "level", "allowed", "reason", "relationship")) == {
        (Category.IDENTITY, Level.READ, True, "granted", "team")
    }
    assert len(set(rows.values_list("request_id", flat=True))) == 1  # one view, one batch

    _listed(gp)
    assert _listing_rows(gp).filter(person=person).count() == 2


def test_an_ended_relationship_is_not_listed(person, nurse):
    Membership.objects.filter(person=person, user=nurse).update(
        since=timezone.now() - timedelta(days=30), until=timezone.now() - timedelta(days=1)
    )
    body = _listed(nurse)
    assert person.family_name not in body
    assert not _listing_rows(nurse).exists()


def test_a_member_waiting_for_the_persons_consent_does_not_see_them_listed(gp, nurse):
    """The dossier page refuses them (no consent yet), so the list does not offer it either."""
    waiting = services.register_person(gp, given_name="Rik", family_name="Wachtend")
    join_team(waiting, nurse)
    assert "Wachtend" not in _listed(nurse)
    assert "Wachtend" in _listed(gp)  # who registered them holds the legal basis for identity


def test_a_person_opened_by_emergency_access_is_listed_and_the_listing_marked_so(person, outsider):
    now = timezone.now()
    BreakGlassAccess.objects.create(
        person=person, actor=outsider, reason="Found unconscious.", since=now, until=now + timedelta(hours=1)
    )
    assert person.family_name in _listed(outsider)
    assert _listing_rows(outsider).get().event == AuditEntry.Event.BREAK_GLASS


def test_the_list_comes_a_page_at_a_time_and_only_the_page_shown_is_audited(gp, monkeypatch):
    monkeypatch.setattr(queries, "HOME_PAGE_SIZE", 2)
    for name in ("Aerts", "Bosmans", "Claes"):
        someone = PersonFactory(given_name="Jan", family_name=name, registered_by=gp)
        join_team(someone, gp, is_coordinator=True)
        consent_for(someone, recorded_by=gp)
    first = _listed(gp)
    assert "Aerts" in first and "Bosmans" in first and "Claes" not in first
    assert _listing_rows(gp).count() == 2
    second = _listed(gp, page=2)
    assert "Claes" in second and "Aerts" not in second
    assert _listing_rows(gp).count() == 3


# ── Point 2: each profile lands on the page of its own work ─────────────────────────────────


def test_every_profile_has_a_home_page():
    for profile in Profile.values:
        page = homes.page_for(profile)
        assert page.template.startswith("people/home")


@pytest.mark.parametrize(
    ("profile", "template"),
    [
        (Profile.ZONE_ADMIN, "people/home_zone_admin.html"),
        (Profile.DPO, "people/home_dpo.html"),
        (Profile.HELPDESK, "people/home_helpdesk.html"),
        (Profile.GP, "people/home.html"),
        (Profile.INFORMAL_CAREGIVER, "people/home.html"),
    ],
)
def test_each_profile_gets_the_template_of_its_work(profile, template):
    user = UserFactory(profile=profile, language="en")
    response = _home(user)
    assert template in [t.name for t in response.templates]


def test_the_zone_admin_lands_on_the_zone_work_not_on_a_care_workers_page(zone_admin, gp):
    Invitation.objects.create(
        email="new@example.org",
        full_name="Nieuwe Verpleger",
        profile=Profile.NURSE,
        token_hash="x" * 64,
        invited_by=zone_admin,
        expires_at=timezone.now() + timedelta(days=3),
    )
    cell = MatrixCell.objects.get(profile=Profile.NURSE, category=Category.SITUATION)
    cell.level = Level.NONE if cell.shipped_level != Level.NONE else Level.READ
    cell.save()
    body = _listed(zone_admin)
    for url in (
        reverse("access:matrix"),
        reverse("accounts:users"),
        reverse("accounts:invitations"),
        reverse("curation:services"),
        reverse("privacy:retention"),
        reverse("privacy:closures"),
    ):
        assert f'href="{url}' in body, url
    assert "1 invitation waits for an answer." in body
    assert "The zone changed 1 rule of the shipped matrix." in body
    assert reverse("people:register") not in body
    assert reverse("access:break-glass") not in body
    assert "Persons I have a care relationship with" not in body


def test_the_dpo_lands_on_the_log_search_closures_and_exports(dpo, gp, person):
    Closure.objects.create(person=person, reason=Closure.Reason.DEATH, event_date=date(2026, 11, 2), closed_by=gp)
    client = client_for(dpo)
    client.get(reverse("audit:search"), {"user": str(gp.public_id)})  # a search to take up again
    body = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("audit:search")}"' in body
    assert f'href="{reverse("audit:search")}?user={gp.public_id}"' in body
    assert "Dr. An Peeters" in body
    assert f'href="{reverse("privacy:closures")}"' in body
    assert "1 dossier is closed now." in body
    assert person.family_name not in body  # counts only: the list names persons on its own page
    assert "Subject-access exports" in body
    assert reverse("people:register") not in body
    assert reverse("access:break-glass") not in body


def test_the_helpdesk_lands_on_the_social_map_and_its_curation():
    helpdesk = UserFactory(profile=Profile.HELPDESK, language="en")
    body = _listed(helpdesk)
    assert f'href="{reverse("directory:search")}"' in body
    assert f'href="{reverse("curation:services")}"' in body
    assert "Schakel does not keep helpdesk cases yet." in body
    assert reverse("access:break-glass") not in body  # not a health professional


def test_a_gp_keeps_the_persons_list_and_may_register_and_open_emergency_access(person, gp):
    body = _listed(gp)
    assert "Persons I have a care relationship with" in body and person.family_name in body
    assert reverse("people:register") in body
    assert reverse("access:break-glass") in body


def test_emergency_access_is_offered_only_to_health_professionals(person):
    social_worker = UserFactory(profile=Profile.SOCIAL_WORKER, language="en")
    body = _listed(social_worker)
    assert not rules.may_use_emergency_access(social_worker)
    assert reverse("access:break-glass") not in body
    assert reverse("people:register") in body  # a professional: today's rule (rules.may_register_person)


def test_the_persons_own_circle_is_offered_neither_registration_nor_emergency_access(person, caregiver):
    body = _listed(caregiver)
    assert "The people I support" in body and person.family_name in body
    assert reverse("people:register") not in body
    assert reverse("access:break-glass") not in body


def test_the_links_follow_the_rules(monkeypatch, gp):
    monkeypatch.setattr(rules, "may_register_person", lambda user: False)
    body = _listed(gp)
    assert reverse("people:register") not in body
    assert reverse("access:break-glass") in body
