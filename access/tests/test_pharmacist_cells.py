"""Issue 11: the pharmacist's default cells. Seed 004 reports intake problems to the pharmacy and
the doctor: the pharmacist reads the medication schedule and receives and follows up problem
reports; family and home (`situation`) are not needed. Loading the new file never overwrites a
zone's edit."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from access import gate, matrix, rules, services
from access.models import MatrixCell
from access.tests.factories import BreakGlassAccessFactory
from audit.models import AuditEntry
from conftest import client_for
from core.vocab import Category, Level, Profile
from people import services as people_services
from people.models import MedicationProblem
from people.tests.factories import join_team, medication_problem


@pytest.fixture
def reading_language() -> str:
    return "en"


def test_the_shipped_file_lets_the_pharmacist_read_medication_and_not_situation():
    shipped = matrix.read_file()
    medication = shipped.cells[(Profile.PHARMACIST, Category.MEDICATION)]
    situation = shipped.cells[(Profile.PHARMACIST, Category.SITUATION)]
    assert (medication.level, situation.level) == ("read", "none")
    for cell in (medication, situation):
        assert cell.source == "seed 004 information table"
        assert set(cell.rationale) == {"en", "nl", "fr"} and all(cell.rationale.values())
    assert "follows up the reports" in medication.rationale["en"]
    assert shipped.version >= "2026-12-07"


def _older_file(tmp_path: Path) -> Path:
    """The file as shipped before issue 11: the pharmacist wrote medication and read situation."""
    text = Path(settings.ACCESS_MATRIX_FILE).read_text(encoding="utf-8")
    text = re.sub(r'^version = ".*"$', 'version = "2026-11-23"', text, count=1, flags=re.M)
    start = text.index("[profiles.pharmacist.cells]")
    for category, level in (("medication", "write"), ("situation", "read")):
        line = re.compile(rf'^{category} = {{ level = "\w+"', re.M)
        found = line.search(text, start)
        assert found
        text = text[: found.start()] + f'{category} = {{ level = "{level}"' + text[found.end() :]
    path = tmp_path / "older.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _cell(profile: str, category: str) -> MatrixCell:
    return MatrixCell.objects.get(profile=profile, category=category)


def test_loading_the_new_file_follows_it_unless_the_zone_edited_the_cell(tmp_path, zone_admin):
    services.reload_matrix(zone_admin, matrix.read_file(_older_file(tmp_path)))
    assert (_cell("pharmacist", "medication").level, _cell("pharmacist", "situation").level) == ("write", "read")
    # The zone decided its pharmacists keep the situation at home.
    situation = _cell("pharmacist", "situation")
    services.edit_cell(zone_admin, situation, Level.WRITE, version=situation.version)

    shipped = matrix.read_file()
    plan = {(c.profile, c.category): c for c in matrix.plan_reload(shipped)}
    assert (plan[("pharmacist", "medication")].shipped_now, plan[("pharmacist", "medication")].conflict) == (
        "read",
        False,
    )
    assert plan[("pharmacist", "situation")].conflict is True
    services.reload_matrix(zone_admin, shipped)
    assert _cell("pharmacist", "medication").level == "read"  # unedited: follows the file
    kept = _cell("pharmacist", "situation")
    assert (kept.level, kept.shipped_level, kept.edited_by) == ("write", "none", zone_admin)


def test_the_pharmacist_reads_the_schedule_but_not_family_and_home(person, pharmacist):
    assert gate.decide(pharmacist, person, Category.MEDICATION, Level.READ).allowed
    assert not gate.decide(pharmacist, person, Category.MEDICATION, Level.WRITE).allowed
    assert not gate.decide(pharmacist, person, Category.SITUATION, Level.READ).allowed
    client = client_for(pharmacist)
    # Writing the schedule is refused with the reader's 403 and changes nothing.
    response = client.post(
        reverse("people:section-medication", args=[person.public_id]),
        {"medication": "Amlodipine 5 mg", "dose": "1 tablet", "time_of_day": "08:00"},
    )
    assert response.status_code == 403
    assert client.get(reverse("people:section-family", args=[person.public_id])).status_code == 404


def test_the_pharmacist_receives_and_follows_up_problem_reports(person, pharmacist, caregiver):
    problem = people_services.report_medication_problem(
        caregiver, person, kind="intake", description="Cannot swallow the big tablet."
    )
    assert problem.owner == pharmacist
    page = client_for(pharmacist).get(reverse("people:medication-problems", args=[person.public_id]))
    assert "Mark as handled" in page.content.decode()
    response = client_for(pharmacist).post(
        reverse("people:medication-problems", args=[person.public_id]),
        {"action": "handle", "item": str(problem.public_id), "version": "1", "note": "Crushed, with the GP's OK."},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.is_open, problem.handled_by) == (False, pharmacist)
    rows = AuditEntry.objects.filter(action="people.medication_problem_handled", allowed=True)
    assert {(row.actor_id, row.category, row.actor_profile) for row in rows} == {
        (pharmacist.pk, "medication", "pharmacist")
    }


def test_the_pharmacist_follows_up_through_the_api_too(person, pharmacist, caregiver):
    problem = medication_problem(person, caregiver, owner=pharmacist)
    response = client_for(pharmacist).post(
        f"/api/persons/{person.public_id}/dossier/medication-problems/handle?item={problem.public_id}",
        {"note": "Stopped."},
        content_type="application/json",
        HTTP_IF_MATCH='W/"1"',
    )
    assert response.status_code == 200, response.content


def test_other_readers_of_the_schedule_do_not_mark_problems_handled(person, caregiver, make_user):
    home_care = make_user(Profile.HOME_CARE_WORKER, "Ilse Goossens")
    join_team(person, home_care)
    problem = medication_problem(person, caregiver)
    for reader in (caregiver, home_care):
        decision = rules.follows_up_medication_problems(reader, person)
        assert (decision.allowed, decision.status) == (False, 403)
        with pytest.raises(gate.Refused):
            people_services.mark_problem_handled(reader, problem, version=1)
    assert MedicationProblem.objects.get().is_open


def test_a_pharmacist_under_emergency_access_does_not_follow_up(person, caregiver, make_user):
    other = make_user(Profile.PHARMACIST, "Apotheker Van Wacht")
    BreakGlassAccessFactory(person=person, actor=other)
    assert gate.decide(other, person, Category.MEDICATION, Level.READ).allowed
    assert not rules.follows_up_medication_problems(other, person).allowed
