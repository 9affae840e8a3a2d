"""Changes to the social map made from its pages: the zone admin's edits of a need, and the
curator's need suggestions for imported services. (Curation of services is in
directory/curation/services.py; imports in directory/hsds/importer.py.)"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import rules
from accounts.models import User
from core.errors import Conflict
from directory import taxonomy
from directory.models import Attribute, Dataset, Metadata, Service, TaxonomyTerm
from directory.search import index
from directory.search import matcher as matching
from directory.search.models import EDITABLE_FIELDS, NeedTerm, TermSuggestion

# ── the zone admin's edits ──────────────────────────────────────────────────────────────────────


def edit_need(actor: User, need: NeedTerm, values: dict[str, str], *, version: int) -> NeedTerm:
    """The zone admin edits a need's names, descriptions, everyday words or provider words. The
    history keeps who changed what; a later shipped file never overwrites an edited field, and a
    field set back to the shipped text follows the file again. Services tagged with the need are
    re-indexed when its names change (the index holds term names)."""
    if not rules.is_zone_admin(actor):
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
        row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history's hook for the acting user
        row.save()
        taxonomy.sync_term(row)
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


# ── suggestions for imported services without a need ────────────────────────────────────────────


def suggest_for_published() -> int:
    """Suggest needs for the published directory's services without one (0 when none is published)."""
    dataset = Dataset.objects.published()
    return suggest_terms(dataset) if dataset else 0


def suggest_terms(dataset: Dataset, *, limit: int | None = None) -> int:
    """Suggest needs for the dataset's services that carry none of the need taxonomy's terms,
    from the provider words and everyday words in their names and descriptions. Returns the
    number of suggestions made; services already reviewed are not suggested again."""
    matcher = matching.current()
    need_terms = TaxonomyTerm.objects.filter(need__isnull=False)
    tagged = Attribute.objects.filter(taxonomy_term__in=need_terms, service__isnull=False).values("service_id")
    services = (
        Service.objects.filter(dataset=dataset)
        .exclude(pk__in=tagged)
        .exclude(pk__in=TermSuggestion.objects.values("service_id"))
        .only("id", *(f"{part}_{lang}" for part in ("name", "description") for lang in taxonomy.LANGUAGES))
    )
    if limit:
        services = services[:limit]
    made = []
    for service in services.iterator(chunk_size=500):
        found: dict[int, tuple[float, str]] = {}
        for lang in taxonomy.LANGUAGES:
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
    if not taxonomy.can_curate(actor):
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
