"""Rules stated in REFERENCE.md, written out by hand. These tests do not read the matrix file: a
change to the file that breaks a stated rule fails here, whatever the file says."""

import pytest

from access import gate
from access.models import MatrixProfile
from accounts.tests.factories import UserFactory
from core.vocab import Category, Level, Profile
from people.tests.factories import join_team

READ = Level.READ


def _on_team(person, profile):
    user = UserFactory(profile=profile)
    join_team(person, user)
    return user


def _reads(user, person, category) -> bool:
    return gate.decide(user, person, category, READ).allowed


# §5.4: "nurses, dentists and pharmacists see part of the GP's Sumehr (medication, intolerances,
# allergies, risk factors)"; "physicians have full access except psychiatric documents".


def test_a_pharmacist_reads_medication_and_allergies_but_not_mental_health(person, pharmacist):
    assert _reads(pharmacist, person, Category.MEDICATION) is True
    assert _reads(pharmacist, person, Category.MEDICAL) is True
    assert _reads(pharmacist, person, Category.MENTAL_HEALTH) is False


def test_a_nurse_reads_medication_and_allergies_but_not_mental_health(person, nurse):
    assert _reads(nurse, person, Category.MEDICATION) is True
    assert _reads(nurse, person, Category.MEDICAL) is True
    assert _reads(nurse, person, Category.MENTAL_HEALTH) is False


@pytest.mark.parametrize("profile", [Profile.GP, Profile.SPECIALIST, Profile.HOSPITAL_DOCTOR])
def test_physicians_read_medical_data_and_medication(person, profile):
    physician = _on_team(person, profile)
    for category in (Category.MEDICAL, Category.MEDICATION, Category.HOSPITAL, Category.ACP):
        assert _reads(physician, person, category) is True, category


def test_a_physiotherapist_has_a_partial_view_without_mental_health(person):
    physiotherapist = _on_team(person, Profile.PHYSIOTHERAPIST)
    assert _reads(physiotherapist, person, Category.MEDICAL) is True
    assert _reads(physiotherapist, person, Category.MENTAL_HEALTH) is False


# Intro and §5.2: no therapeutic relationship, no access; the platform's own staff have none.


def test_without_a_relationship_a_gp_reads_nothing(person, outsider):
    assert [c for c in Category.values if _reads(outsider, person, c)] == []


@pytest.mark.parametrize("profile", [Profile.ZONE_ADMIN, Profile.DPO])
def test_zone_admin_and_dpo_read_nothing_even_on_a_team(person, profile):
    staff = _on_team(person, profile)
    assert [c for c in Category.values if _reads(staff, person, c)] == []


def test_the_helpdesk_never_reads_medical_data(person):
    helpdesk = _on_team(person, Profile.HELPDESK)
    for category in (Category.MEDICAL, Category.MEDICATION, Category.MENTAL_HEALTH, Category.ACP):
        assert _reads(helpdesk, person, category) is False, category


# §5.4: the matrix governs what each profession may *read*; writing is never broader than reading.


def test_no_one_writes_what_they_cannot_read(person):
    for profile in Profile.values:
        if profile in (Profile.PERSON, Profile.REPRESENTATIVE):
            continue
        user = _on_team(person, profile)
        for category in Category.values:
            if gate.decide(user, person, category, Level.WRITE).allowed:
                assert _reads(user, person, category), (profile, category)


# Intro: consent is revocable; the patient can exclude a named professional.


def test_consent_withdrawn_means_no_access_for_the_team(person, nurse):
    person.consents.update(until="2020-01-01T00:00:00Z")
    assert _reads(nurse, person, Category.MEDICATION) is False


def test_the_person_reads_their_own_medical_file(person, person_user):
    for category in (Category.MEDICAL, Category.MEDICATION, Category.HOSPITAL, Category.MENTAL_HEALTH):
        assert _reads(person_user, person, category) is True, category


# Break the glass is for health professionals: the regulated health-care professions (the law
# on the health-care professions, ex-KB 78: physicians, nurses, pharmacists, physiotherapists,
# occupational therapists, clinical psychologists) and no one else.

REGULATED_PROFESSIONS = {
    Profile.GP,
    Profile.SPECIALIST,
    Profile.HOSPITAL_DOCTOR,
    Profile.NURSE,
    Profile.PHARMACIST,
    Profile.PHYSIOTHERAPIST,
    Profile.OCCUPATIONAL_THERAPIST,
    Profile.PSYCHOLOGIST,
}


def test_the_health_professionals_are_exactly_the_regulated_professions(db):
    marked = set(MatrixProfile.objects.filter(health_professional=True).values_list("code", flat=True))
    assert marked == {profile.value for profile in REGULATED_PROFESSIONS}
