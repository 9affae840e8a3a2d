"""A merge loses nothing: one row of every kind of person data in the registry is made on the
alias, generically from the models' own fields, and after the merge each is found on the
surviving person — in the dossier the gate lets the team read, in the person's subject-access
export, and, for the access log, in the log of the surviving person. A model added to the
registry later is covered without changing this test."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from access import gate
from accounts.tests.factories import UserFactory
from audit import queries as audit_queries
from audit.models import AuditEntry
from core import persondata
from core.vocab import Category, Level, Profile
from people import queries, sections, services
from people.models import Allergy, HomeSituation, Person
from people.tests.factories import SECTION_SAMPLES, section_row
from privacy import export

# Values a generated row needs beyond its required fields: a closing of the alias that was
# reopened (an open one makes the dossier read-only, and the merge is a write).
_OVERRIDES: dict[str, dict[str, Any]] = {
    "privacy.Closure": {"reopened_at": timezone.now()},
    "meetings.Participant": {"email": "invited@example.org"},  # a member or someone invited by e-mail
    # A professional's membership: the person's own membership of their team follows rules of its
    # own in a merge (teams/tests/test_the_person_on_the_team.py).
    "teams.Membership": {"profile": "nurse"},
}


def _value(field: models.Field, user: Any) -> Any:
    """A valid value for a required field, from its type."""
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        related = cast(type[models.Model], field.related_model)  # resolved once the apps are ready
        if related._meta.label == "accounts.User":
            return user
        return related._default_manager.first()
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.IntegerField):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now() + timedelta(hours=4)
    if isinstance(field, models.DateField):
        return date(2026, 3, 2)
    if isinstance(field, models.TimeField):
        return time(9, 30)
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.EmailField):
        return "merged@example.org"
    if isinstance(field, models.JSONField):
        return []
    if isinstance(field, models.CharField | models.TextField):
        return "Recorded on the alias"
    raise NotImplementedError(f"{field.model._meta.label}.{field.name}: teach this test a value for {type(field)}")


def _required(model: type[models.Model], given: dict[str, Any], user: Any) -> dict[str, Any]:
    values = dict(given)
    for field in model._meta.concrete_fields:
        if field.name in values or field.primary_key or field.has_default() or field.null:
            continue
        if field.blank and isinstance(field, models.CharField | models.TextField):
            continue
        values[field.name] = _value(field, user)
    return {**values, **_OVERRIDES.get(model._meta.label, {})}


def _make(data: persondata.PersonData, alias: Person, user: Any, made: dict[str, Any]) -> Any:
    """One row of the registration on the alias; a row that hangs on another (a message's read
    mark) gets that row made first."""
    model = data.model
    if data.person_path == "person":
        # A section's sample values where the factories have them (they respect its checks).
        samples: dict[type[models.Model], dict[str, Any]] = {
            kind.model: SECTION_SAMPLES.get(kind.code, {}) for kind in sections.SECTIONS.values()
        }
        row = model(**_required(model, {**samples.get(model, {}), "person": alias}, user))
        if data.history:
            row._history_user = user  # type: ignore[attr-defined]  # django-simple-history's hook for the acting user
        row.save()
        return row
    parent_field, _rest = data.person_path.split("__", 1)
    parent_model = model._meta.get_field(parent_field).related_model
    parent = made.get(parent_model._meta.label)  # type: ignore[union-attr]  # a resolved model class
    if parent is None:
        parent = _make(persondata.registration_for(parent_model), alias, user, made)  # type: ignore[arg-type]  # a resolved model class
        made[parent_model._meta.label] = parent  # type: ignore[union-attr]  # a resolved model class
    return model._default_manager.create(**_required(model, {parent_field: parent}, user))


def _pointed_at(data: persondata.PersonData) -> set[str]:
    """The registered models a row of this registration must point at (its required foreign keys)."""
    registered = {d.label for d in persondata.registered()}
    return {
        field.related_model._meta.label  # type: ignore[union-attr]  # a resolved model class
        for field in data.model._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and not field.null
        and field.related_model._meta.label in registered  # type: ignore[union-attr]  # a resolved model class
        and field.related_model is not data.model
    }


def _in_making_order() -> list[persondata.PersonData]:
    """The registrations with the rows a row points at made first (a score after its scale)."""
    waiting, ordered, done = list(persondata.registered()), [], {"people.Person"}
    while waiting:
        ready = [d for d in waiting if _pointed_at(d) <= done | {d.label}]
        if not ready:
            raise AssertionError(f"Circular foreign keys among {[d.label for d in waiting]}")
        for data in ready:
            ordered.append(data)
            done.add(data.label)
            waiting.remove(data)
    return ordered


def _on_the_alias(alias: Person, user: Any) -> dict[str, Any]:
    made: dict[str, Any] = {}
    for data in _in_making_order():
        if data.merge.how == "stay" or data.label in made:
            continue
        made[data.label] = _make(data, alias, user, made)
    return made


def _entry_ids(dossier: queries.Dossier) -> set[uuid.UUID]:
    return {entry.id for group in dossier.groups for view in group.sections for entry in view.entries}


@pytest.mark.django_db
def test_a_row_of_every_registered_kind_is_found_on_the_surviving_person(gp, nurse, alias, person, person_user):
    author = UserFactory(profile=Profile.NURSE, full_name="Ilse Merckx")
    made = _on_the_alias(alias, author)
    stays = [data for data in persondata.registered() if data.merge.how == "stay"]
    assert {data.label for data in stays} == {"people.Person", "audit.AuditEntry"}
    gate.check(nurse, alias, Category.IDENTITY, Level.READ, action="people.person_viewed")
    seen_on_alias = AuditEntry.objects.filter(person_id=alias.pk, actor_id=nurse.pk).get()

    services.merge_persons(gp, alias, person)

    # Every row and its history now belong to the surviving person.
    for label, row in made.items():
        data = persondata.registration_for(type(row))
        assert data is not None
        assert data.rows([person.pk]).filter(pk=row.pk).exists(), label
        assert not data.rows([alias.pk]).exists(), label
        if data.history:
            assert data.history_rows([person.pk]).filter(id=row.pk).exists(), label
            assert not data.history_rows([alias.pk]).exists(), label

    # The dossier the GP reads through the gate shows every section's row.
    shown = _entry_ids(queries.dossier(gp, person))
    for kind in sections.SECTIONS.values():
        assert made[kind.model._meta.label].public_id in shown, kind.code

    # The person's own export holds every exported row, and its JSON holds each row's JSON.
    collected = export.collect(person_user, person, output="json")
    document = export.as_json(collected)
    for label, row in made.items():
        data = persondata.registration_for(type(row))
        if not data.export.exported:
            assert data.export.reason, label
            continue
        part = data.export.part
        if part == "dossier":
            entries = {e["id"] for s in document["dossier"] for e in s["entries"]}
            assert str(row.public_id) in entries, label
            history = {h["entry"] for s in document["dossier"] for h in s["history"]}
            assert str(row.public_id) in history, label
        else:
            assert row in collected.rows(part), label
            assert data.export.as_json(row) in document[part], label

    # Audit rows stay on the alias; the surviving person's log and export show them.
    assert AuditEntry.objects.filter(pk=seen_on_alias.pk, person_id=alias.pk).exists()
    assert seen_on_alias in audit_queries.person_log(person)
    assert seen_on_alias in collected.log


@pytest.mark.django_db
def test_an_allergy_recorded_on_the_alias_is_on_the_surviving_dossier_page(gp, gp_client, alias, person):
    """The reported bug: Jef's penicillin allergy was shown nowhere after the merge."""
    allergy = section_row(alias, "allergies", substance="Penicillin")

    services.merge_persons(gp, alias, person)

    page = gp_client.get(reverse("people:detail", args=[person.public_id]))
    assert page.status_code == 200
    assert "Penicillin" in page.content.decode()
    via_old_id = gp_client.get(reverse("people:detail", args=[alias.public_id]))
    assert "Penicillin" in via_old_id.content.decode()
    assert Allergy.objects.get(pk=allergy.pk).person == person


@pytest.mark.django_db
def test_a_section_held_by_both_keeps_the_row_changed_last_and_the_other_in_its_history(gp, alias, person):
    older = section_row(person, "home", remarks="Ground-floor flat")
    newer = section_row(alias, "home", remarks="Shelter, Leuven")
    HomeSituation.objects.filter(pk=older.pk).update(updated_at=timezone.now() - timedelta(days=30))

    services.merge_persons(gp, alias, person)

    assert list(HomeSituation.objects.filter(person=person).values_list("pk", flat=True)) == [newer.pk]
    assert not HomeSituation.objects.filter(person=alias).exists()
    history = HomeSituation.history.filter(person_id=person.pk)
    assert set(history.values_list("id", flat=True)) == {older.pk, newer.pk}
    removal = history.get(id=older.pk, history_type="-")
    assert (removal.remarks, removal.history_user_id) == ("Ground-floor flat", gp.pk)
    merge_row = AuditEntry.objects.get(person_id=person.pk, action="people.persons_merged", event="change")
    assert merge_row.detail["replaced"] == [
        {"section": "home", "removed": str(older.public_id), "kept": str(newer.public_id)}
    ]
    # The section's history, as the team reads it, still shows the removed row's content.
    assert "Ground-floor flat" in str([row.changes for row in queries.section_history(person, "home")])


@pytest.mark.django_db
def test_a_section_held_by_both_keeps_the_targets_row_when_it_is_newer(gp, alias, person):
    theirs = section_row(alias, "own_words", life_goals="Een dak boven mijn hoofd")
    ours = section_row(person, "own_words", life_goals="Thuis blijven wonen")
    type(theirs).objects.filter(pk=theirs.pk).update(updated_at=datetime(2026, 1, 1, tzinfo=UTC))

    services.merge_persons(gp, alias, person)

    assert list(type(ours).objects.filter(person=person).values_list("pk", flat=True)) == [ours.pk]
    assert type(theirs).history.filter(person_id=person.pk, id=theirs.pk, history_type="-").exists()
