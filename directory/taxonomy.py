"""The need taxonomy: the shipped file (directory/data/need_taxonomy.toml), its loading into the
zone's taxonomy "schakel-needs", the zone admin's edits, and the curator's term suggestions.

Like the access matrix (access/matrix.py), the file is the shipped default and the database holds
the taxonomy in force: loading a newer file changes only the fields the zone admin has not edited;
a field the zone edited whose shipped value changed is reported and kept as the zone set it.
"""

import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import rules
from accounts.models import User
from core.errors import Conflict
from directory.models import Attribute, Dataset, Metadata, Service, Taxonomy, TaxonomyTerm
from directory.search.models import EDITABLE_FIELDS, NeedTerm, TermSuggestion

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
                need._history_user = actor  # type: ignore[attr-defined]
                need.save()
                _sync_term(need)
        # Groups are the parents of their terms.
        for item in shipped.terms:
            parent = terms_by_code.get(item.group) if item.group else None
            term = terms_by_code[item.code]
            if term.parent_id != (parent.pk if parent else None):
                term.parent = parent
                term.save(update_fields=["parent"])
    return changes


def _sync_term(need: NeedTerm) -> None:
    """Write the need's names and descriptions to its TaxonomyTerm (what HSDS exports)."""
    values = {name: getattr(need, name) for name in EDITABLE_FIELDS if name.startswith(("name_", "description_"))}
    TaxonomyTerm.objects.filter(pk=need.term_id).update(**values)


# ── the zone admin's edits ──────────────────────────────────────────────────────────────────────


def is_zone_admin(user: User) -> bool:
    return rules.is_zone_admin(user)


def can_curate(user: User) -> bool:
    """The zone team curates the social map: the zone admin and the zone's helpdesk."""
    return rules.curates_social_map(user)


def edit_need(actor: User, need: NeedTerm, values: dict[str, str], *, version: int) -> NeedTerm:
    """The zone admin edits a need's names, descriptions, everyday words or provider words. The
    history keeps who changed what; a later shipped file never overwrites an edited field, and a
    field set back to the shipped text follows the file again. Services tagged with the need are
    re-indexed when its names change (the index holds term names)."""
    from directory.search import index  # the index imports this module's models only

    if not is_zone_admin(actor):
        raise PermissionDenied
    cleaned = {name: _clean(name, values.get(name, "")) for name in EDITABLE_FIELDS}
    if not need.is_group:
        for lang, label in (("nl", _("Dutch")), ("fr", _("French"))):
            if not cleaned[f"name_{lang}"]:
                raise ValidationError(
                    _("The name in %(language)s is required.") % {"language": label}, code="name_required"
                )
    with transaction.atomic():
        row = NeedTerm.objects.select_for_update().get(pk=need.pk)
        if row.version != version:
            raise Conflict(_("Someone else changed this need. Reload to see their change."))
        changed = [name for name in EDITABLE_FIELDS if getattr(row, name) != cleaned[name]]
        if not changed:
            raise ValidationError(_("Nothing was changed."), code="unchanged")
        edited = set(row.edited_fields)
        for name in changed:
            setattr(row, name, cleaned[name])
            if cleaned[name] == row.shipped.get(name, ""):
                edited.discard(name)
            else:
                edited.add(name)
        row.edited_fields = sorted(edited)
        row.version += 1
        row.updated_at = timezone.now()
        row._history_user = actor  # type: ignore[attr-defined]
        row.save()
        _sync_term(row)
        if any(name.startswith("name_") for name in changed):
            index.reindex_term(row.term_id)  # in the same transaction: the index never disagrees
    return row


def _clean(name: str, value: str) -> str:
    value = value.replace("\r\n", "\n").strip()
    if name in ("everyday_words_nl", "everyday_words_fr", "jargon"):
        # One phrase a line, each once.
        lines = dict.fromkeys(line.strip() for line in value.split("\n") if line.strip())
        return "\n".join(lines)
    return value


# ── suggestions for imported services without a need ───────────────────────────────────────────


def suggest_terms(dataset: Dataset, *, limit: int | None = None) -> int:
    """Suggest needs for the dataset's services that carry none of the need taxonomy's terms,
    from the provider words and everyday words in their names and descriptions. Returns the
    number of suggestions made; services already reviewed are not suggested again."""
    from directory.search import matcher as matching

    matcher = matching.current()
    need_terms = TaxonomyTerm.objects.filter(need__isnull=False)
    tagged = Attribute.objects.filter(taxonomy_term__in=need_terms, service__isnull=False).values("service_id")
    services = (
        Service.objects.filter(dataset=dataset)
        .exclude(pk__in=tagged)
        .exclude(pk__in=TermSuggestion.objects.values("service_id"))
        .only("id", *(f"{part}_{lang}" for part in ("name", "description") for lang in LANGUAGES))
    )
    if limit:
        services = services[:limit]
    made = []
    for service in services.iterator(chunk_size=500):
        found: dict[int, tuple[float, str]] = {}
        for lang in LANGUAGES:
            content = f"{getattr(service, f'name_{lang}')}. {getattr(service, f'description_{lang}')}"
            for match in matcher.suggest(content, lang):
                if match.score > found.get(match.term_id, (0.0, ""))[0]:
                    found[match.term_id] = (match.score, match.phrase)
        made += [
            TermSuggestion(service=service, term_id=term_id, score=score, matched=phrase[:500])
            for term_id, (score, phrase) in found.items()
        ]
    TermSuggestion.objects.bulk_create(made, batch_size=1000, ignore_conflicts=True)
    return len(made)


def decide_suggestion(actor: User, suggestion: TermSuggestion, *, confirm: bool) -> TermSuggestion:
    """A curator confirms a suggested need (the service is tagged with it: an HSDS attribute, a
    change-log entry, and the service re-indexed) or rejects it."""
    from directory.search import index

    if not can_curate(actor):
        raise PermissionDenied
    with transaction.atomic():
        row = TermSuggestion.objects.select_for_update().select_related("service", "term").get(pk=suggestion.pk)
        if row.status != TermSuggestion.Status.PENDING:
            raise ValidationError(_("This suggestion was already reviewed."), code="already_decided")
        row.status = TermSuggestion.Status.CONFIRMED if confirm else TermSuggestion.Status.REJECTED
        row.decided_by, row.decided_at = actor, timezone.now()
        row.save(update_fields=["status", "decided_by", "decided_at"])
        if confirm:
            service = row.service
            Attribute.objects.get_or_create(
                dataset_id=service.dataset_id,
                service=service,
                taxonomy_term=row.term,
                defaults={"hsds_id": str(uuid.uuid4()), "link_entity": "service", "link_id": service.hsds_id},
            )
            Metadata.objects.create(
                dataset_id=service.dataset_id,
                hsds_id=str(uuid.uuid4()),
                resource_id=service.hsds_id,
                resource_type="service",
                last_action_date=row.decided_at,
                last_action_type="update",
                field_name="attribute",
                previous_value="",
                replacement_value=row.term.code,
                updated_by=actor.email,
            )
            index.reindex_service(service)
    return row
