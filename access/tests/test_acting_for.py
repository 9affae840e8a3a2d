"""Whoever acts for the person, a legal representative or a mandate holder, leaves the person's
name in the access log's "acting for" (NEN 7513: the responsible user), for reads and changes
alike; the person acting for themself does not."""

import pytest

from access import gate, services
from audit.models import AuditEntry
from audit.presenters import log_row
from core.vocab import Category, Level
from people import services as people_services


@pytest.fixture(params=["representative", "mandate_holder"])
def acting(request, person, representative, mandate_holder):
    """Someone who acts for Jozef: his representative, or Marie with his mandate (wishes, situation)."""
    return {"representative": representative, "mandate_holder": mandate_holder}[request.param]


def test_a_change_for_the_person_names_them_as_acted_for(acting, person, person_user):
    people_services.save_singleton(acting, person, "own_words", version=0, own_needs="Een wandeling per dag.")

    change = AuditEntry.objects.get(action="people.section_entry_added", event="change")
    assert (change.actor_id, change.acting_for_id) == (acting.pk, person_user.pk)
    assert log_row(change).acting_for == str(person_user)


def test_a_read_for_the_person_names_them_as_acted_for(acting, person, person_user):
    decision = gate.check(acting, person, Category.WISHES, Level.READ, action="test.read")
    assert decision.acting_for_id == person_user.pk
    assert AuditEntry.objects.get(action="test.read").acting_for_id == person_user.pk


def test_the_representatives_own_rights_changes_name_the_person(representative, person, person_user, outsider):
    services.exclude_user(representative, person, outsider)
    services.withdraw_consent(representative, person)

    rows = AuditEntry.objects.filter(actor_id=representative.pk, event="change").order_by("id")
    assert [(row.action, row.relationship, row.acting_for_id) for row in rows] == [
        ("access.user_excluded", "representative", person_user.pk),
        ("access.consent_withdrawn", "representative", person_user.pk),
    ]


def test_the_person_acting_for_themself_is_not_acting_for_anyone(person, person_user):
    people_services.save_singleton(person_user, person, "own_words", version=0, own_needs="Thuis blijven.")
    change = AuditEntry.objects.get(action="people.section_entry_added", event="change")
    assert (change.actor_id, change.relationship, change.acting_for_id) == (person_user.pk, "self", None)
