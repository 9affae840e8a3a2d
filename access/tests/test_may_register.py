"""Which profiles may register a person is matrix data: a value of each profile in the shipped
file, with a source and a rationale in three languages, loaded with the cells and shown on the
matrix page. The shipped default keeps the zone roles out."""

import copy
import tomllib

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from access import matrix, rules
from access.models import MatrixProfile
from accounts.tests.factories import UserFactory
from core.vocab import Profile

with open(settings.ACCESS_MATRIX_FILE, "rb") as handle:
    FILE = tomllib.load(handle)


def test_every_profile_of_the_file_says_whether_it_registers_with_source_and_rationale():
    for code, row in FILE["profiles"].items():
        rule = row["may_register"]
        assert isinstance(rule["allowed"], bool), code
        assert rule["source"], code
        assert all(rule["rationale"][lang] for lang in ("en", "nl", "fr")), code


def test_the_shipped_default_keeps_the_zone_roles_and_the_persons_circle_out():
    registering = {code for code, row in FILE["profiles"].items() if row["may_register"]["allowed"]}
    for code in (Profile.ZONE_ADMIN, Profile.HELPDESK, Profile.DPO, Profile.PERSON, Profile.FAMILY):
        assert code not in registering
    assert {Profile.GP, Profile.NURSE, Profile.SOCIAL_WORKER, Profile.HOSPITAL_LIAISON} <= registering


def test_a_file_without_the_value_or_its_rationale_is_refused():
    data = copy.deepcopy(FILE)
    del data["profiles"]["gp"]["may_register"]
    del data["profiles"]["nurse"]["may_register"]["rationale"]["fr"]
    with pytest.raises(ValidationError) as refused:
        matrix.parse(data)
    assert "gp: may_register is missing" in refused.value.messages
    assert "nurse.may_register: rationale needs en, nl and fr" in refused.value.messages


def test_loading_the_file_sets_each_profiles_value_and_rationale(db):
    for code, row in FILE["profiles"].items():
        loaded = MatrixProfile.objects.get(code=code)
        rule = row["may_register"]
        assert (loaded.may_register, loaded.register_source, loaded.register_rationale_nl) == (
            rule["allowed"],
            rule["source"],
            rule["rationale"]["nl"],
        )


def test_reloading_follows_the_file(db):
    shipped = matrix.read_file()
    changed = matrix.MatrixFile(
        shipped.version,
        shipped.health_professionals,
        shipped.emergency_categories,
        shipped.cells,
        {**shipped.registering, "nurse": matrix.RegisterRule("nurse", False, "assumption", {"en": "e"})},
    )
    matrix.load(changed)
    assert rules.may_register_person(UserFactory(profile=Profile.NURSE)) is False
    matrix.load(shipped)
    assert rules.may_register_person(UserFactory(profile=Profile.NURSE)) is True


@pytest.mark.parametrize("profile", [Profile.ZONE_ADMIN, Profile.HELPDESK, Profile.DPO])
def test_the_rule_refuses_the_zone_roles(db, profile):
    assert rules.may_register_person(UserFactory(profile=profile)) is False


def test_the_matrix_page_shows_who_registers_and_why(nurse_client):
    page = nurse_client.get(reverse("access:matrix")).content.decode()
    assert "may register a person: starts their dossier and joins their care team." in page
    assert "Registers a person: yes" in page and "Registers a person: no" in page
    zone_admin_row = page.split('<th scope="row">zone administrator')[1].split("</th>")[0]
    gp_row = page.split('<th scope="row">general practitioner')[1].split("</th>")[0]
    assert "⊕" not in zone_admin_row and "⊕" in gp_row
    assert FILE["profiles"]["zone_admin"]["may_register"]["rationale"]["en"] in page
