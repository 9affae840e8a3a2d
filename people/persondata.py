"""The people app's person data in the registry (core.persondata): the person's identity and the
dossier's sections, with their history. Registered by PeopleConfig.ready()."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from accounts.models import User
from core import persondata
from core.persondata import MergeOutcome, PersonData, iso, name
from people import presenters, queries, sections
from people.models import Person, SectionRecord

# What identifies a person; the purge puts these values in its place (the row and its random
# local id stay, so the access log keeps pointing at something; their own login is unlinked).
ANONYMISED = "—"
ANONYMISED_IDENTITY = {
    "insz": None,
    "claimed_insz": "",
    "possible_duplicate_of": None,
    "given_name": "",
    "family_name": ANONYMISED,
    "birth_date": None,
    "municipality": None,
    "account": None,
}


# ── The person's identity ───────────────────────────────────────────────────────────────────


def _identity(person: Person, ids: list[int]) -> list[Person]:
    return [person]


def identity_json(person: Person) -> dict[str, Any]:
    aliases = person.aliases.order_by("merged_at")
    return {
        "id": str(person.public_id),
        "insz": person.shown_insz or None,
        "local_id": person.local_id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "birth_date": iso(person.birth_date),
        "municipality": str(person.municipality) if person.municipality_id else None,
        "registered_at": iso(person.registered_at),
        "also_registered_as": [{"local_id": a.local_id, "merged_at": iso(a.merged_at)} for a in aliases],
    }


# ── Dossier sections ────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class SectionExport:
    kind: sections.SectionKind
    entries: list[SectionRecord]
    history: list[Any]  # the section's simple-history records, oldest first


def _section_rows(kind: sections.SectionKind) -> Any:
    def rows(person: Person, ids: list[int]) -> list[SectionExport]:
        history = list(
            kind.model.history.filter(person_id__in=ids)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        entries = queries.section_entries(person, kind.code)
        if kind.code == "medication":  # the person's copy holds the stopped lines too
            entries = [*entries, *queries.stopped_medication(person)]
        return [SectionExport(kind, entries, history)]

    return rows


def _raw(model: type[models.Model], record: Any, field_name: str, users: dict[int, str]) -> Any:
    """A field's stored value as JSON: dates in ISO 8601, a user as their name."""
    field = model._meta.get_field(field_name)
    value = getattr(record, field.attname)  # type: ignore[union-attr]  # a concrete field
    if isinstance(field, models.ForeignKey):
        return users.get(value) if value is not None else None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _users(section: SectionExport) -> dict[int, str]:
    fields = presenters.history_fields(section.kind)
    ids = {record.history_user_id for record in section.history if record.history_user_id}
    for record in [*section.history, *section.entries]:
        for field_name in fields:
            field = section.kind.model._meta.get_field(field_name)
            if isinstance(field, models.ForeignKey) and getattr(record, field.attname):
                ids.add(getattr(record, field.attname))
    return {user.pk: str(user) for user in User.objects.filter(pk__in=ids)}


_WHAT = {"+": "added", "~": "changed", "-": "removed"}


def section_json(section: SectionExport) -> dict[str, Any]:
    kind, model = section.kind, section.kind.model
    fields = presenters.history_fields(kind)
    users = _users(section)
    entries = [
        {
            "id": str(entry.public_id),
            "version": entry.version,
            "updated_at": iso(entry.updated_at),
            "updated_by": name(entry.updated_by) if entry.updated_by_id else None,
            "fields": {field_name: _raw(model, entry, field_name, users) for field_name in fields},
        }
        for entry in section.entries
    ]
    history = []
    previous: dict[int, Any] = {}
    for record in section.history:  # oldest first, so each row's previous version is known
        before = previous.get(record.id)
        changes = []
        for field_name in fields:
            old = _raw(model, before, field_name, users) if before is not None else None
            new = _raw(model, record, field_name, users) if record.history_type != "-" else None
            if old != new:
                changes.append({"field": field_name, "before": old, "after": new})
        history.append(
            {
                "when": iso(record.history_date),
                "who": users.get(record.history_user_id) if record.history_user_id else None,
                "what": _WHAT[record.history_type],
                "entry": str(record.public_id),
                "changes": changes,
            }
        )
        previous[record.id] = record
    history.reverse()  # newest first, as on the history pages
    return {
        "section": kind.code,
        "title": str(kind.title),
        "category": kind.category.value,
        "entries": entries,
        "history": history,
    }


def merge_singleton(data: PersonData, alias: Any, target: Any, actor: AbstractBaseUser) -> MergeOutcome:
    """A one-per-person section held by both records: the row changed last stays the section's
    content; the other is removed, as a user's removal would be, so its content stays in the
    section's history (which moves to the target with the rest) and the merge's audit row names
    it. A row on one record only simply moves."""
    model = data.model
    theirs = cast("SectionRecord | None", model._default_manager.filter(person=alias).first())
    ours = cast("SectionRecord | None", model._default_manager.filter(person=target).first())
    replaced = []
    if theirs is not None and ours is not None:
        kept, removed = (theirs, ours) if theirs.updated_at > ours.updated_at else (ours, theirs)
        removed._history_user = actor  # type: ignore[attr-defined]  # the merge removed it
        removed.delete()
        replaced.append(
            {"section": sections.kind_of(kept).code, "removed": str(removed.public_id), "kept": str(kept.public_id)}
        )
    outcome = persondata.move_rows(data, alias, target)
    outcome.replaced.extend(replaced)
    return outcome


def register() -> None:
    persondata.register(
        PersonData(
            Person,
            person_path="pk",
            merge=persondata.stay(
                "the alias record stays, pointing at the surviving one (merged_into), so old links and "
                "ids lead to the person and the access log keeps pointing at something"
            ),
            purge=persondata.Purge("identity", "anonymise", anonymised=ANONYMISED_IDENTITY),
            export=persondata.Export("person", rows=_identity, as_json=identity_json, single=True),
            printed="header",
        )
    )
    for kind in sections.SECTIONS.values():
        persondata.register(
            PersonData(
                kind.model,
                merge=persondata.custom(merge_singleton, "one row per person") if kind.singleton else persondata.move(),
                purge=persondata.Purge("dossier_sections", "delete"),
                export=persondata.Export(
                    "dossier", rows=_section_rows(kind), as_json=section_json, category=kind.category.value
                ),
                printed="dossier",
                history=True,
            )
        )
