"""Registering a person, with or without INSZ (a local id for the homeless, the undocumented, or
someone whose number is not known yet)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from access import gate
from access.models import Consent
from audit.models import AuditEntry
from conftest import client_for
from core.vocab import Category, Level, Profile
from people import services
from people.models import Person
from people.services import REGISTRATION_LEGAL_BASIS
from people.tests.factories import synthetic_insz
from teams.models import Membership

REGISTER = reverse("people:register")
INSZ = synthetic_insz(12345)


def test_a_person_without_insz_gets_a_local_id(gp):
    person = services.register_person(gp, given_name=" Jef ", family_name="Onbekend")

    assert person.insz is None
    assert re.fullmatch(r"L-[0-9A-F]{10}", person.local_id)
    assert person.display_id == person.local_id
    assert (person.given_name, person.registered_by) == ("Jef", gp)


def test_two_persons_without_insz_can_be_registered(gp):
    first = services.register_person(gp, given_name="Jef", family_name="Onbekend")
    second = services.register_person(gp, given_name="Jan", family_name="Onbekend")
    assert first.local_id != second.local_id
    assert Person.objects.filter(insz=None).count() == 2


def test_an_insz_is_shown_grouped_as_on_the_eid(gp):
    person = services.register_person(gp, given_name="An", family_name="Smets", insz=INSZ)
    assert person.insz == INSZ
    assert person.display_id == f"{INSZ[:2]}.{INSZ[2:4]}.{INSZ[4:6]}-{INSZ[6:9]}.{INSZ[9:]}"


def test_the_registrant_joins_the_team_with_a_named_legal_basis_and_it_is_audited(nurse):
    person = services.register_person(nurse, given_name="Jef", family_name="Onbekend")

    membership = Membership.objects.get(person=person)
    assert (membership.user, membership.profile, membership.is_coordinator) == (nurse, Profile.NURSE, False)
    assert membership.until is not None  # a professional relationship expires
    basis = Consent.objects.get(person=person)
    assert (basis.basis, basis.legal_basis, basis.holder, basis.categories) == (
        Consent.Basis.LEGAL_BASIS,
        REGISTRATION_LEGAL_BASIS,
        nurse,
        ["identity", "acp"],
    )
    row = AuditEntry.objects.get(action="people.person_registered")
    assert (row.event, row.person_id, row.actor_id, row.category, row.allowed) == (
        "change",
        person.pk,
        nurse.pk,
        "identity",
        True,
    )
    assert row.detail == {"legal_basis": REGISTRATION_LEGAL_BASIS}


def test_the_legal_basis_covers_identity_and_consent_only(nurse):
    person = services.register_person(nurse, given_name="Jef", family_name="Onbekend")

    assert gate.decide(nurse, person, Category.IDENTITY, Level.WRITE).allowed
    assert gate.decide(nurse, person, Category.ACP, Level.READ).allowed
    assert gate.decide(nurse, person, Category.MEDICATION, Level.READ).reason == "no_consent"


def test_a_duplicate_insz_is_refused_and_nothing_is_created(gp, nurse):
    services.register_person(gp, given_name="An", family_name="Smets", insz=INSZ)
    persons, memberships, consents = Person.objects.count(), Membership.objects.count(), Consent.objects.count()

    response = client_for(nurse).post(REGISTER, {"given_name": "Anna", "family_name": "Smets", "insz": INSZ})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A person with this INSZ is already registered. Ask their care coordinator to add you to the team."
    ]
    assert (Person.objects.count(), Membership.objects.count(), Consent.objects.count()) == (
        persons,
        memberships,
        consents,
    )
    refusal = AuditEntry.objects.get(actor_id=nurse.pk)
    assert (refusal.action, refusal.allowed, refusal.reason, refusal.person_id) == (
        "people.register_duplicate",
        False,
        "duplicate_insz",
        None,
    )


def test_the_duplicate_message_is_translated(gp, nurse):
    services.register_person(gp, given_name="An", family_name="Smets", insz=INSZ)
    nurse.language = "nl"
    nurse.save(update_fields=["language"])
    from django.utils import translation

    with translation.override("nl"):
        expected = translation.gettext(
            "A person with this INSZ is already registered. Ask their care coordinator to add you to the team."
        )
    response = client_for(nurse).post(REGISTER, {"given_name": "Anna", "family_name": "Smets", "insz": INSZ})
    assert response.context["form"].non_field_errors() == [expected]


def test_an_invalid_insz_is_refused_with_a_clear_message(gp_client):
    response = gp_client.post(REGISTER, {"given_name": "An", "family_name": "Smets", "insz": "12345678901"})
    assert response.status_code == 200
    assert response.context["form"].errors["insz"] == [
        "12345678901 is not a valid INSZ/NISS or BIS number; check the 11 digits."
    ]
    assert not Person.objects.exists()


def test_registering_through_the_page_leads_to_the_new_record(gp, gp_client):
    response = gp_client.post(REGISTER, {"given_name": "Jef", "family_name": "Onbekend", "insz": ""})

    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.public_id])
    page = gp_client.get(response["Location"]).content.decode()
    assert "<dt>Local id</dt><dd>" + person.local_id + "</dd>" in page
    assert "Registered without INSZ." in page


def test_the_register_page_labels_every_field(gp_client):
    page = gp_client.get(REGISTER).content.decode()
    for field, label in [
        ("given_name", "Given name"),
        ("family_name", "Family name"),
        ("insz", "INSZ/NISS number"),
        ("birth_date", "Date of birth"),
        ("municipality", "Municipality"),
    ]:
        assert f'<label for="id_{field}">{label}:</label>' in page
    assert 'aria-describedby="id_insz_helptext"' in page and 'id="id_insz_helptext"' in page


def test_only_a_professional_can_register(person_user):
    with pytest.raises(ValidationError) as refused:
        services.register_person(person_user, given_name="Jef", family_name="Onbekend")
    assert refused.value.code == "not_professional"
    assert not Person.objects.filter(given_name="Jef").exists()
