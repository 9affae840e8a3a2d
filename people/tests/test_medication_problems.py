"""Reporting a medication problem (DOS-06): anyone who may read the schedule reports it; the team's
pharmacist and GP are told in-app; the first of them owns it until someone who may change the
schedule marks it handled; the owner's open reports join the care team's handover."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from access import gate
from access.tests.factories import ExclusionFactory
from accounts.tests.factories import UserFactory
from core.vocab import Profile
from notifications.models import Notification
from notifications.services import render_text
from people import services
from people.handover import MedicationProblemProvider
from people.models import MedicationProblem
from people.tests.factories import join_team, medication_problem
from teams.handover import provider_for


def test_the_caregiver_reports_and_the_pharmacist_and_gp_are_told(caregiver, pharmacist, gp, nurse, person):
    problem = services.report_medication_problem(
        caregiver, person, kind="side_effect", description=" Dizzy after the morning pills. ", medication="Amlodipine"
    )
    assert (problem.reported_by, problem.owner, problem.description, problem.is_open) == (
        caregiver,
        pharmacist,
        "Dizzy after the morning pills.",
        True,
    )
    told = Notification.objects.filter(kind=Notification.Kind.MEDICATION_PROBLEM)
    assert sorted(told.values_list("recipient__full_name", flat=True)) == ["Dr. An Peeters", "Luc Maes"]
    note = told.get(recipient=gp)
    assert note.params == {"reporter": "Marie Claes", "kind": "side_effect"}  # no health data
    with translation.override("en"):
        assert render_text(note) == (
            "Marie Claes reported a medication problem (side effect). Open the dossier to follow it up."
        )
    assert [(h.history_type, h.history_user) for h in problem.history.all()] == [("+", caregiver)]


def test_the_reporting_pharmacist_owns_it_and_is_not_told_of_their_own_report(pharmacist, gp, person):
    problem = services.report_medication_problem(pharmacist, person, kind="supply", description="Runs out Friday.")
    assert problem.owner == pharmacist
    assert list(Notification.objects.values_list("recipient", flat=True)) == [gp.pk]


def test_an_excluded_gp_is_not_told(caregiver, gp, pharmacist, person, person_user):
    ExclusionFactory(person=person, excluded=gp)
    services.report_medication_problem(caregiver, person, kind="intake", description="Cannot swallow the big tablet.")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [pharmacist.pk]


def test_a_team_without_pharmacist_or_gp_tells_its_coordinator(caregiver):
    from people.tests.factories import PersonFactory, consent_for

    coordinator = UserFactory(profile=Profile.CARE_COORDINATOR)
    other = PersonFactory()
    join_team(other, coordinator, is_coordinator=True)
    join_team(other, caregiver)
    consent_for(other, recorded_by=coordinator)
    problem = services.report_medication_problem(
        caregiver, other, kind="other", description="Pills found on the floor."
    )
    assert problem.owner == coordinator
    assert list(Notification.objects.values_list("recipient", flat=True)) == [coordinator.pk]


def test_who_may_not_read_the_schedule_may_not_report(neighbour, person):
    with pytest.raises(gate.Refused):
        services.report_medication_problem(neighbour, person, kind="other", description="Looks tired.")
    assert MedicationProblem.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_report_without_description_changes_nothing(caregiver, person):
    with pytest.raises(ValidationError) as raised:
        services.report_medication_problem(caregiver, person, kind="side_effect", description="  ")
    assert list(raised.value.message_dict) == ["description"]
    assert (MedicationProblem.objects.count(), Notification.objects.count()) == (0, 0)


def test_marking_handled_needs_write_on_medication(caregiver, pharmacist, person):
    problem = medication_problem(person, caregiver, owner=pharmacist)
    with pytest.raises(gate.Refused):
        services.mark_problem_handled(caregiver, problem, version=1)
    handled = services.mark_problem_handled(pharmacist, problem, version=1, note="Dose moved to the evening.")
    assert (handled.is_open, handled.handled_by, handled.handled_note, handled.version) == (
        False,
        pharmacist,
        "Dose moved to the evening.",
        2,
    )
    with pytest.raises(ValidationError) as raised:
        services.mark_problem_handled(pharmacist, handled, version=2)
    assert raised.value.code == "already_handled"


def test_the_owners_open_reports_join_the_handover_and_move_to_the_new_owner(caregiver, pharmacist, gp, person):
    provider = provider_for(MedicationProblemProvider.kind)
    assert provider is not None
    open_problem = medication_problem(person, caregiver, owner=pharmacist, kind="intake")
    medication_problem(person, caregiver, owner=pharmacist, handled_at=open_problem.reported_at, handled_by=gp)
    items = provider.open_items(pharmacist, person)
    assert [(item.public_id, item.title, item.category) for item in items] == [
        (open_problem.public_id, "Medication problem (problem taking the medication)", "medication")
    ]
    provider.reassign(items[0], gp)
    open_problem.refresh_from_db()
    assert (open_problem.owner, open_problem.version) == (gp, 2)
    assert provider.open_items(pharmacist, person) == []
