"""The matrix file, tested cell by cell: for every profile, category and level in the shipped
file, the gate answers what the file says; a few tests each check the whole file and report every
wrong cell at once. (The rules of REFERENCE.md are tested by hand, without reading the file, in
test_matrix_rules.py.)"""

import tomllib

from django.conf import settings

from access import gate
from access.models import MatrixCategory, MatrixCell, MatrixProfile, Representation
from accounts.tests.factories import UserFactory
from core.vocab import Category, Level, Profile
from people.tests.factories import PersonFactory, consent_for, join_team

with open(settings.ACCESS_MATRIX_FILE, "rb") as handle:
    FILE = tomllib.load(handle)

CELLS = [
    (profile, category, asked, cell["level"])
    for profile, row in FILE["profiles"].items()
    for category, cell in row["cells"].items()
    for asked in ("read", "write")
]


def _user_with_profile(person, profile):
    """A user whose relationship with the (consenting) person reads with this row."""
    if profile == Profile.PERSON:
        return person.account
    user = UserFactory(profile=profile)
    if profile == Profile.REPRESENTATIVE:
        Representation.objects.create(person=person, representative=user, legal_ground="court", recorded_by=user)
    else:
        join_team(person, user, profile=profile)
    return user


def _gate_disagreements(asked: str, profiles: list[str] | None = None) -> list[str]:
    """Every cell where the gate's answer to a consenting person's team member (or representative,
    or the person) differs from the file, one line each (all profiles unless some are named)."""
    problems = []
    for profile, row in FILE["profiles"].items():
        if profiles is not None and profile not in profiles:
            continue
        person = PersonFactory.create(account=UserFactory.create(profile=Profile.PERSON))
        consent_for(person, recorded_by=person.account)
        actor = _user_with_profile(person, profile)
        for category, cell in row["cells"].items():
            decision = gate.decide(actor, person, category, asked)
            expected = Level(cell["level"]).covers(Level(asked))
            if decision.allowed != expected:
                problems.append(
                    f"{profile}/{category}/{asked}: file says {cell['level']}, gate allowed={decision.allowed}"
                )
            elif not decision.allowed and decision.reason != "matrix":
                problems.append(f"{profile}/{category}/{asked}: refused for {decision.reason!r}, not by the matrix")
    return problems


# One test per level asked, each over the whole file: a wrong file or gate shows every cell it
# gets wrong in one failure message.
def test_the_gate_reads_each_cell_of_the_file(db):
    problems = _gate_disagreements("read")
    assert not problems, "\n".join(problems)


def test_the_gate_writes_each_cell_of_the_file(db):
    problems = _gate_disagreements("write")
    assert not problems, "\n".join(problems)


def test_a_cell_the_gate_gets_wrong_is_reported_with_the_others(db):
    """The whole-file tests can fail: a loaded cell that differs from the file is named."""
    gp_reads = FILE["profiles"][Profile.GP]["cells"][Category.MEDICATION]["level"]
    assert Level(gp_reads).covers(Level.READ)
    MatrixCell.objects.filter(profile=Profile.GP, category=Category.MEDICATION).update(level=Level.NONE)

    problems = _gate_disagreements("read", profiles=[Profile.GP, Profile.NURSE])

    assert problems == [f"gp/medication/read: file says {gp_reads}, gate allowed=False"]


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
