"""The need taxonomy: the shipped file (directory/data/need_taxonomy.toml), its loading into the
zone's taxonomy "schakel-needs", and who may curate it. The zone admin's edits and the curator's
term suggestions are changes in directory/services.py.

Like the access matrix (access/matrix.py), the file is the shipped default and the database holds
the taxonomy in force: loading a newer file changes only the fields the zone admin has not edited;
a field the zone edited whose shipped value changed is reported and kept as the zone set it.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from access import rules
from accounts.models import User
from directory.models import Taxonomy, TaxonomyTerm
from directory.search.models import EDITABLE_FIELDS, NeedTerm

TAXONOMY_NAME = "schakel-needs"
TAXONOMY_ID = "schakel-needs"  # the HSDS id of the zone's need taxonomy
TAXONOMY_FILE = Path(settings.BASE_DIR) / "directory" / "data" / "need_taxonomy.toml"
MIN_EVERYDAY_WORDS = 10
LANGUAGES = ("nl", "fr", "en")


@dataclass(frozen=True)
class ShippedTerm:
    code: str
    group: str
    is_group: bool
    first_contact: bool
    position: int
    values: dict[str, str] = field(default_factory=dict)  # EDITABLE_FIELDS -> text


@dataclass(frozen=True)
class TaxonomyFile:
    version: str
    terms: list[ShippedTerm]


def _lines(items: list[str]) -> str:
    return "\n".join(item.strip() for item in items if item.strip())


def parse(data: dict[str, Any]) -> TaxonomyFile:
    """Check a parsed file: codes unique, names in three languages, descriptions, at least
    MIN_EVERYDAY_WORDS everyday phrasings per language, groups known. Raises ValidationError
    naming every problem."""
    problems: list[str] = []
    if not data.get("version"):
        problems.append("version is missing")
    groups = {group.get("code", ""): group for group in data.get("group", [])}
    terms: list[ShippedTerm] = []
    seen: set[str] = set()
    position = 0
    for group_code, group in groups.items():
        names = group.get("name", {})
        if not group_code or any(not names.get(lang) for lang in LANGUAGES):
            problems.append(f"group {group_code or '?'}: needs a code and a name in nl, fr and en")
        position += 1
        values = {f"name_{lang}": names.get(lang, "") for lang in LANGUAGES}
        terms.append(ShippedTerm(group_code, "", True, False, position, values))
        seen.add(group_code)
    for entry in data.get("term", []):
        code = entry.get("code", "")
        label = code or "?"
        if not code or code in seen:
            problems.append(f"term {label}: code missing or used twice")
        seen.add(code)
        names, descriptions = entry.get("name", {}), entry.get("description", {})
        if any(not names.get(lang) for lang in LANGUAGES):
            problems.append(f"term {label}: name needs nl, fr and en")
        if any(not descriptions.get(lang) for lang in ("nl", "fr")):
            problems.append(f"term {label}: description needs nl and fr")
        for lang in ("nl", "fr"):
            if len(entry.get(f"everyday_{lang}", [])) < MIN_EVERYDAY_WORDS:
                problems.append(f"term {label}: at least {MIN_EVERYDAY_WORDS} everyday phrasings in {lang}")
        if not entry.get("jargon"):
            problems.append(f"term {label}: provider words (jargon) are missing")
        if entry.get("group") not in groups:
            problems.append(f"term {label}: unknown group {entry.get('group')!r}")
        position += 1
        values = {f"name_{lang}": names.get(lang, "") for lang in LANGUAGES}
        values |= {f"description_{lang}": descriptions.get(lang, "") for lang in LANGUAGES}
        values["everyday_words_nl"] = _lines(entry.get("everyday_nl", []))
        values["everyday_words_fr"] = _lines(entry.get("everyday_fr", []))
        values["jargon"] = _lines(entry.get("jargon", []))
        terms.append(
            ShippedTerm(code, entry.get("group", ""), False, bool(entry.get("first_contact")), position, values)
        )
    if problems:
        raise ValidationError(problems, code="invalid_taxonomy_file")
    return TaxonomyFile(str(data["version"]), terms)


def read_file(path: Path | None = None) -> TaxonomyFile:
    with open(path or TAXONOMY_FILE, "rb") as handle:
        return parse(tomllib.load(handle))


@dataclass(frozen=True)
class FieldChange:
    code: str
    field: str
    kept: bool  # the zone edited it and the file changed it: the zone's value stays


def need_taxonomy() -> Taxonomy:
    taxonomy, _created = Taxonomy.objects.get_or_create(
        dataset=None,
        hsds_id=TAXONOMY_ID,
        defaults={"name": TAXONOMY_NAME, "description": "Schakel need taxonomy (nl/fr)", "uri": ""},
    )
    return taxonomy


def _term_values(values: dict[str, str]) -> dict[str, str]:
    """The fields a TaxonomyTerm carries (no everyday words or jargon)."""
    return {name: value for name, value in values.items() if name.startswith(("name_", "description_"))}


def load(shipped: TaxonomyFile, *, actor: User | None = None) -> list[FieldChange]:
    """Load the file: new terms are created; fields the zone did not edit follow the file; the
    zone's edits stay (reported as kept when the file changed them too). Idempotent: loading the
    same file twice changes nothing and writes no history."""
    changes: list[FieldChange] = []
    now = timezone.now()
    with transaction.atomic():
        taxonomy = need_taxonomy()
        existing = {need.code: need for need in NeedTerm.objects.select_related("term").select_for_update()}
        terms_by_code: dict[str, TaxonomyTerm] = {}
        for item in shipped.terms:
            need = existing.get(item.code)
            if need is None:
                term = TaxonomyTerm.objects.create(
                    dataset=None,
                    taxonomy=taxonomy,
                    hsds_id=f"{TAXONOMY_ID}:{item.code}",
                    code=item.code,
                    taxonomy_name=TAXONOMY_NAME,
                    **_term_values(item.values),
                )
                need = NeedTerm(
                    term=term,
                    code=item.code,
                    is_group=item.is_group,
                    first_contact=item.first_contact,
                    position=item.position,
                    shipped=item.values,
                    shipped_version=shipped.version,
                    updated_at=now,
                    **{name: item.values.get(name, "") for name in EDITABLE_FIELDS},
                )
                need._history_user = actor  # type: ignore[attr-defined]  # django-simple-history's hook
                need.save()
                changes += [FieldChange(item.code, name, False) for name in EDITABLE_FIELDS]
                terms_by_code[item.code] = term
                continue
            terms_by_code[item.code] = need.term
            dirty = False
            for name in EDITABLE_FIELDS:
                new = item.values.get(name, "")
                before = need.shipped.get(name, "")
                if name in need.edited_fields:
                    if new != before:
                        changes.append(FieldChange(item.code, name, True))
                    continue
                if getattr(need, name) != new:
                    setattr(need, name, new)
                    changes.append(FieldChange(item.code, name, False))
                    dirty = True
            flags = {"is_group": item.is_group, "first_contact": item.first_contact, "position": item.position}
            for name, value in flags.items():
                if getattr(need, name) != value:
                    setattr(need, name, value)
                    dirty = True
            if need.shipped != item.values or need.shipped_version != shipped.version:
                need.shipped, need.shipped_version = item.values, shipped.version
                if not dirty:
                    NeedTerm.objects.filter(pk=need.pk).update(shipped=item.values, shipped_version=shipped.version)
            if dirty:
                need.updated_at = now
                need.version += 1  # an edit form opened before the reload must not overwrite it
                need._history_user = actor  # type: ignore[attr-defined]  # django-simple-history's hook
                need.save()
                sync_term(need)
        # Groups are the parents of their terms.
        for item in shipped.terms:
            parent = terms_by_code.get(item.group) if item.group else None
            term = terms_by_code[item.code]
            if term.parent_id != (parent.pk if parent else None):
                term.parent = parent
                term.save(update_fields=["parent"])
    return changes


def sync_term(need: NeedTerm) -> None:
    """Write the need's names and descriptions to its TaxonomyTerm (what HSDS exports)."""
    values = {name: getattr(need, name) for name in EDITABLE_FIELDS if name.startswith(("name_", "description_"))}
    TaxonomyTerm.objects.filter(pk=need.term_id).update(**values)


# ── who curates ─────────────────────────────────────────────────────────────────────────────────


def can_curate(user: User) -> bool:
    """The zone team curates the social map: the zone admin and the zone's helpdesk."""
    return rules.curates_social_map(user)
