"""Changing the dossier's sections: through the gate with the section's category, one history row
per change carrying the actor, stale versions refused, bad input changes nothing, the person
writes their own words, and a mandate holder acts for the person with "acting for" in the log."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from access import gate
from audit.models import AuditEntry
from core.errors import Conflict
from people import sections, services
from people.models import Contact, HomeSituation, OwnWords, Visit
from people.services import StaleEdit
from people.tests.factories import SECTION_SAMPLES, section_row

# One field each list section changes in the history test.
CHANGES = {
    "contacts": ("role", "home nursing, evenings"),
    "family": ("involvement", "weekly"),
    "visits": ("end_time", time(9)),
    "help_history": ("ended_on", date(2025, 6, 30)),
    "needs": ("status", "partly"),
    "medication": ("time_of_day", time(20)),
    "allergies": ("reaction", "rash"),
    "vaccinations": ("notes", "left arm"),
    "preferences": ("text", "Soup at noon"),
    "capacity": ("outcome", "partly"),
}
LIST_SECTIONS = [code for code, kind in sections.SECTIONS.items() if kind.generic and not kind.singleton]
SINGLETONS = [code for code, kind in sections.SECTIONS.items() if kind.singleton]


def history(entry):
    return list(type(entry).history.filter(id=entry.pk).order_by("history_date", "history_id"))


@pytest.mark.parametrize("code", LIST_SECTIONS)
def test_adding_changing_and_removing_each_make_one_history_row_carrying_the_actor(code, gp, person):
    entry = services.add_entry(gp, person, code, **SECTION_SAMPLES[code])
    assert [(h.history_type, h.history_user) for h in history(entry)] == [("+", gp)]
    assert (entry.version, entry.updated_by) == (1, gp)

    field, new_value = CHANGES[code]
    changed = services.change_entry(gp, entry, version=1, **{field: new_value})
    assert changed.version == 2
    assert [(h.history_type, h.history_user, h.version) for h in history(entry)] == [("+", gp, 1), ("~", gp, 2)]

    if code == "medication":  # stopped, never removed (issue 11): the stop is one more history row
        services.stop_medication(gp, changed, version=2, stopped_on=timezone.localdate(), reason="Side effects")
        assert type(entry).objects.filter(pk=entry.pk).exists()
        assert [(h.history_type, h.history_user) for h in history(entry)] == [("+", gp), ("~", gp), ("~", gp)]
        return
    services.remove_entry(gp, changed, version=2)
    assert not type(entry).objects.filter(pk=entry.pk).exists()
    assert [(h.history_type, h.history_user) for h in history(entry)] == [("+", gp), ("~", gp), ("-", gp)]


@pytest.mark.parametrize("code", SINGLETONS)
def test_a_one_per_person_section_is_created_then_changed_with_one_history_row_each(code, gp, representative, person):
    first = services.save_singleton(gp, person, code, version=0, **SECTION_SAMPLES[code])
    field = sections.kind(code).fields[-1]
    value = "Changed" if field != "remarks" else "Changed remarks"
    second = services.save_singleton(gp, person, code, version=1, **{field: value})
    assert second.pk == first.pk and second.version == 2
    assert [(h.history_type, h.history_user, h.version) for h in history(first)] == [("+", gp, 1), ("~", gp, 2)]


def test_an_unchanged_save_makes_no_version_and_no_history_row(gp, person):
    entry = services.add_entry(gp, person, "contacts", **SECTION_SAMPLES["contacts"])
    same = services.change_entry(gp, entry, version=1, name=entry.name)
    assert same.version == 1
    assert len(history(entry)) == 1


def test_a_stale_version_is_refused_with_the_current_row_and_the_first_change_survives(gp, nurse, person):
    entry = services.add_entry(gp, person, "visits", **SECTION_SAMPLES["visits"])
    services.change_entry(nurse, entry, version=1, tasks="washing and dressing")
    with pytest.raises(StaleEdit) as raised:
        services.change_entry(gp, entry, version=1, tasks="washing only")
    assert raised.value.current.tasks == "washing and dressing"
    assert raised.value.code == "conflict"
    assert raised.value.messages[0].startswith("This was changed by Sofie Janssens at ")
    assert raised.value.messages[0].endswith("; here is the new version.")
    entry.refresh_from_db()
    assert (entry.tasks, entry.version, len(history(entry))) == ("washing and dressing", 2, 2)


def test_a_second_first_save_of_a_one_per_person_section_is_a_conflict(gp, nurse, person):
    services.save_singleton(gp, person, "home", version=0, lives_alone=True)
    with pytest.raises(StaleEdit):
        services.save_singleton(nurse, person, "home", version=0, lives_alone=False)
    assert list(HomeSituation.objects.filter(person=person).values_list("lives_alone", "version")) == [(True, 1)]


def test_a_removed_entry_cannot_be_changed(gp, person):
    entry = services.add_entry(gp, person, "contacts", **SECTION_SAMPLES["contacts"])
    services.remove_entry(gp, entry, version=1)
    with pytest.raises(Conflict):
        services.change_entry(gp, entry, version=1, role="x")


def test_bad_input_changes_nothing(gp, person):
    entry = services.add_entry(gp, person, "visits", **SECTION_SAMPLES["visits"])
    with pytest.raises(ValidationError) as raised:
        services.change_entry(gp, entry, version=1, start_time=time(9), end_time=time(8))
    assert raised.value.message_dict == {"end_time": ["The visit must end after it starts."]}
    with pytest.raises(ValidationError) as raised:
        services.add_entry(gp, person, "contacts", name="X", kind="service", phone="0470 12 34 56")
    assert list(raised.value.message_dict) == ["phone"]  # stored only in E.164: the form normalises
    entry.refresh_from_db()
    assert (entry.start_time, entry.version) == (time(8), 1)
    assert Contact.objects.filter(person=person).count() == 0


def test_an_outsider_is_refused_audited_and_nothing_changes(outsider, person, gp):
    entry = section_row(person, "contacts")
    with pytest.raises(gate.Refused):
        services.change_entry(outsider, entry, version=1, name="Someone else")
    with pytest.raises(gate.Refused):
        services.add_entry(outsider, person, "contacts", **SECTION_SAMPLES["contacts"])
    entry.refresh_from_db()
    assert (entry.name, entry.version) == ("Thuisverpleging De Kempen", 1)
    refusals = AuditEntry.objects.filter(actor_id=outsider.pk, allowed=False)
    assert list(refusals.values_list("category", "level", "reason")) == [
        ("team", "write", "no_relationship"),
        ("team", "write", "no_relationship"),
    ]


def test_the_section_category_decides_who_writes(caregiver, pharmacist, nurse, person):
    # Informal caregiver: situation read only; pharmacist: situation none, medication read
    # (issue 11); nurse: medication and medical write.
    with pytest.raises(gate.Refused):
        services.add_entry(caregiver, person, "needs", **SECTION_SAMPLES["needs"])
    with pytest.raises(gate.Refused):
        services.add_entry(pharmacist, person, "family", **SECTION_SAMPLES["family"])
    with pytest.raises(gate.Refused):
        services.add_entry(pharmacist, person, "medication", **SECTION_SAMPLES["medication"])
    services.add_entry(nurse, person, "medication", **SECTION_SAMPLES["medication"])
    services.add_entry(nurse, person, "allergies", **SECTION_SAMPLES["allergies"])
    refused = AuditEntry.objects.filter(allowed=False, action="people.section_entry_added")
    assert sorted(refused.values_list("category", "reason")) == [
        ("medication", "matrix"),
        ("situation", "matrix"),
        ("situation", "matrix"),
    ]


def test_the_person_writes_their_own_words_but_not_the_teams_sections(person_user, person):
    entry = services.save_singleton(person_user, person, "own_words", version=0, own_needs="A walk every day.")
    assert (entry.own_needs, entry.updated_by) == ("A walk every day.", person_user)
    services.add_entry(person_user, person, "preferences", area="food", text="Soup at noon")
    with pytest.raises(gate.Refused):
        services.add_entry(person_user, person, "contacts", **SECTION_SAMPLES["contacts"])
    with pytest.raises(gate.Refused):
        services.save_singleton(person_user, person, "care_planning", version=0, trust_person="Marie")


def test_the_representative_records_advance_care_planning(representative, person):
    entry = services.save_singleton(representative, person, "care_planning", version=0, has_directive=False)
    change = AuditEntry.objects.get(action="people.section_entry_added", event="change")
    assert (entry.has_directive, change.actor_id, change.relationship, change.category) == (
        False,
        representative.pk,
        "representative",
        "acp",
    )


def test_a_mandate_holder_writes_for_the_person_and_the_log_says_acting_for(mandate_holder, person, person_user):
    entry = services.save_singleton(mandate_holder, person, "own_words", version=0, life_goals="Tuinieren.")
    assert history(entry)[0].history_user == mandate_holder
    change = AuditEntry.objects.get(action="people.section_entry_added", event="change")
    assert (change.actor_id, change.acting_for_id, change.relationship, change.detail["section"]) == (
        mandate_holder.pk,
        person_user.pk,
        "mandate",
        "own_words",
    )
    # The mandate covers the situation too, but the person's own row only reads it.
    with pytest.raises(gate.Refused):
        services.add_entry(mandate_holder, person, "needs", **SECTION_SAMPLES["needs"])
    assert OwnWords.objects.get(person=person).life_goals == "Tuinieren."


def test_the_log_names_the_fields_changed_not_their_values(gp, person):
    entry = services.add_entry(gp, person, "visits", **SECTION_SAMPLES["visits"])
    services.change_entry(gp, entry, version=1, tasks="washing and dressing")
    change = AuditEntry.objects.get(action="people.section_entry_changed", event="change")
    assert change.detail == {"section": "visits", "entry": str(entry.public_id), "fields": ["tasks"]}
    assert Visit.objects.get(pk=entry.pk).tasks == "washing and dressing"
