"""The person-data registry claims every table that holds a person's data: a model with a foreign
key to the person, or to a row that holds person data (a section, a team message), transitively.
A new app that forgets to register its model fails here, before the merge, the purge or the
export can forget its rows."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from core import persondata

pytestmark = pytest.mark.django_db


def _reaching_a_person() -> dict[type[models.Model], str]:
    """Every installed model (auto-created many-to-many tables and history tables included) that
    reaches people.Person through foreign keys, with the path it takes."""
    person = apps.get_model("people", "Person")
    reached: dict[type[models.Model], str] = {person: "people.Person"}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in reached:
                continue
            for field in model._meta.get_fields():
                target = field.related_model if field.concrete and (field.many_to_one or field.one_to_one) else None
                if target in reached:
                    reached[model] = f"{model._meta.label}.{field.name} → {reached[target]}"  # type: ignore[index]  # a resolved model class
                    changed = True
                    break
    return reached


def test_every_model_that_reaches_a_person_is_in_the_registry():
    claimed = persondata.claimed_models()
    missing = sorted(path for model, path in _reaching_a_person().items() if model not in claimed)
    assert not missing, "Register these models in their app's ready() (core.persondata):\n" + "\n".join(missing)


def test_the_walk_finds_the_tables_it_must_find():
    """The walk itself: direct keys, history tables, a key to another person-data row, and a
    many-to-many table of a person-data row."""
    labels = {model._meta.label for model in _reaching_a_person()}
    expected = {"people.Allergy", "people.HistoricalAllergy", "teams.MessageRead", "teams.TeamMessage_addressees"}
    assert expected <= labels
    assert "accounts.User" not in labels


def test_every_registration_says_how_its_rows_are_purged_and_exported():
    for data in persondata.registered():
        assert data.purge.kind and data.purge.outcome in {"delete", "anonymise", "keep"}, data.label
        assert data.export.exported or data.export.reason, data.label
        assert data.printed or data.not_printed, data.label
        if data.merge.how != "move":
            assert data.merge.reason, data.label
        # The path really leads to the person.
        data.rows([0]).exists()


def test_a_registration_that_cannot_be_done_is_refused():
    membership = apps.get_model("teams", "MessageRead")
    incomplete = persondata.PersonData(
        membership,
        person_path="message__person",
        merge=persondata.move(),  # it has no person field to move
        purge=persondata.Purge("team_messages", "delete"),
        export=persondata.not_exported("test"),
        not_printed="test",
    )
    with pytest.raises(ValueError, match="only rows with their own person field"):
        persondata.register(incomplete)
    assert persondata.registration_for(membership).merge.how == "follow"


def test_docs_privacy_lists_every_registered_model():
    """The DPO's table of "the data Schakel keeps" names each registered model (many-to-many
    tables are part of their model)."""
    text = (settings.BASE_DIR / "docs" / "privacy.md").read_text()
    table = text.split("## The data Schakel keeps", 1)[1].split("\n## ", 1)[0]
    missing = [
        data.label
        for data in persondata.registered()
        if not data.model._meta.auto_created and data.model.__name__ not in table
    ]
    assert not missing, f"Add to docs/privacy.md, 'The data Schakel keeps': {missing}"
