"""The matrix file, tested cell by cell: for every profile, category and level in the shipped
file, the gate answers what the file says. (The rules of REFERENCE.md are tested by hand, without
reading the file, in test_matrix_rules.py.)"""

import tomllib

import pytest
from django.conf import settings

from access import gate, matrix
from access.models import MatrixCategory, MatrixCell, MatrixProfile, Representation
from accounts.tests.factories import UserFactory
from core.vocab import Category, Level, Profile
from people.tests.factories import PersonFactory, consent_for, join_team

with open(settings.ACCESS_MATRIX_FILE, "rb") as handle:
    FILE = tomllib.load(handle)

CELLS = [
    pytest.param(profile, category, asked, cell["level"], id=f"{profile}-{category}-{asked}")
    for profile, row in FILE["profiles"].items()
    for category, cell in row["cells"].items()
    for asked in ("read", "write")
]


def _user_with_profile(person, profile):  # type: ignore[no-untyped-def]
    """A user whose relationship with the (consenting) person reads with this row."""
    if profile == Profile.PERSON:
        return person.account
    user = UserFactory(profile=profile)
    if profile == Profile.REPRESENTATIVE:
        Representation.objects.create(person=person, representative=user, legal_ground="court", recorded_by=user)
    else:
        join_team(person, user, profile=profile)
    return user


@pytest.fixture(scope="module")
def _matrix_once(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the matrix once for this module's 500 tests rather than once in each test's
    transaction (the root conftest then finds it loaded), and remove it afterwards."""
    with django_db_blocker.unblock():
        loaded_here = not MatrixCell.objects.exists()
        if loaded_here:
            matrix.load(matrix.read_file())
        yield
        if loaded_here:
            MatrixCell.history.all().delete()
            MatrixCell.objects.all().delete()
            MatrixProfile.objects.all().delete()
            MatrixCategory.objects.all().delete()


@pytest.mark.parametrize(("profile", "category", "asked", "level"), CELLS)
def test_the_gate_answers_each_cell_of_the_file(_matrix_once, profile, category, asked, level, db):
    person = PersonFactory(account=UserFactory(profile=Profile.PERSON))
    consent_for(person, recorded_by=person.account)
    actor = _user_with_profile(person, profile)
    decision = gate.decide(actor, person, category, asked)
    assert decision.allowed == Level(level).covers(Level(asked))
    if not decision.allowed:
        assert decision.reason == "matrix"


def test_the_file_covers_every_cell():
    assert len(CELLS) == len(Profile.values) * len(Category.values) * 2


def test_the_file_uses_exactly_the_canonical_codes():
    assert list(FILE["profiles"]) == list(Profile.values)
    assert list(FILE["categories"]) == list(Category.values)
    for row in FILE["profiles"].values():
        assert list(row["cells"]) == list(Category.values)


def test_the_loaded_matrix_has_the_files_flags(db):
    health = {code for code, row in FILE["profiles"].items() if row.get("health_professional")}
    emergency = {code for code, column in FILE["categories"].items() if column.get("emergency")}
    assert set(MatrixProfile.objects.filter(health_professional=True).values_list("code", flat=True)) == health
    assert set(MatrixCategory.objects.filter(emergency=True).values_list("code", flat=True)) == emergency
