"""Records as HSDS 3.1 objects, in one language, for the export and the /hsds/ API.

Public output never holds what is for professionals only: contacts (a named contact is always
professional-only), professional-only phones, the e-mail of the person who confirmed a service,
and the change log (`metadata`, which names staff).
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet

from core.i18n import CONTENT_LANGUAGES, exact, fallback_order
from directory import models as m
from directory.hsds import schema
from directory.hsds.mapping import SPECS

# Required HSDS text that falls back to the other language rather than be missing.
FALLBACK_TEXT = {
    "service": ("name",),
    "organization": ("name", "description"),
    "program": ("name", "description"),
    "taxonomy_term": ("name", "description"),
}
# Never in public output.
PRIVATE_FIELDS = {"service": ("assurer_email",)}


class IdMap:
    """Turns a model's primary key into its HSDS id; filled from the records being written, or
    loaded for a whole dataset (export), else looked up one by one."""

    def __init__(self) -> None:
        self.maps: dict[type[models.Model], dict[int, str]] = defaultdict(dict)

    def load(self, dataset: m.Dataset) -> "IdMap":
        for spec in SPECS.values():
            queryset = spec.model.objects.filter(dataset=dataset)  # type: ignore[attr-defined]
            if spec.model in (m.TaxonomyTerm, m.Taxonomy):
                queryset = spec.model.objects.filter(models.Q(dataset=dataset) | models.Q(dataset=None))  # type: ignore[attr-defined]
            self.maps[spec.model].update(queryset.values_list("pk", "hsds_id"))
        return self

    def add(self, instance: Any) -> None:
        self.maps[type(instance)][instance.pk] = instance.hsds_id

    def get(self, model: type[models.Model], pk: int | None) -> str | None:
        if pk is None:
            return None
        known = self.maps[model]
        if pk not in known:
            known[pk] = model.objects.filter(pk=pk).values_list("hsds_id", flat=True).first()  # type: ignore[attr-defined]
        return known[pk]


def _text(instance: Any, obj: str, name: str, language: str) -> str:
    value = exact(instance, name, language)
    if not value and name in FALLBACK_TEXT.get(obj, ()):
        for code in fallback_order(language):
            value = exact(instance, name, code)
            if value:
                break
    return value


def flat(obj: str, instance: Any, language: str, ids: IdMap, *, public: bool = True) -> dict[str, Any]:
    """One record with its one-to-one fields (what a tabular CSV row holds)."""
    spec = SPECS[obj]
    ids.add(instance)
    record: dict[str, Any] = {"id": instance.hsds_id}
    for name, (fk, target) in spec.refs.items():
        value = ids.get(SPECS[target].model, getattr(instance, f"{fk}_id"))
        if value:
            record[name] = value
    for name in spec.text:
        value = _text(instance, obj, name, language)
        if value:
            record[name] = value
    for name in spec.plain:
        value = getattr(instance, name)
        if value not in ("", None):
            record[name] = value
    for name in spec.ints:
        if getattr(instance, name) is not None:
            record[name] = int(getattr(instance, name))
    for name in (*spec.floats, *spec.decimals):
        value = getattr(instance, name)
        if value is not None:
            record[name] = int(value) if value == int(value) else float(value)
    for name in (*spec.dates, *spec.datetimes):
        value = getattr(instance, name)
        if value is not None:
            record[name] = value.isoformat()
    if obj == "taxonomy_term":
        if instance.taxonomy_name:
            record["taxonomy"] = instance.taxonomy_name
        record["language"] = language
    for name in schema.schema("3.1", obj).get("required", []):
        record.setdefault(name, "")
    if public:
        for name in PRIVATE_FIELDS.get(obj, ()):
            record.pop(name, None)
    return record


def _visible(items: Iterable[Any], public: bool) -> list[Any]:
    return [item for item in items if not (public and getattr(item, "professional_only", False))]


def _attributes(instance: Any, language: str, ids: IdMap) -> list[dict[str, Any]]:
    out = []
    for attribute in instance.attributes.all():
        record = flat("attribute", attribute, language, ids)
        if attribute.taxonomy_term is not None:
            record["taxonomy_term"] = flat("taxonomy_term", attribute.taxonomy_term, language, ids)
        out.append(record)
    return out


def _phone(phone: m.Phone, language: str, ids: IdMap) -> dict[str, Any]:
    record = flat("phone", phone, language, ids)
    record["languages"] = [flat("language", lang, language, ids) for lang in phone.languages.all()]
    return record


def _contact(contact: m.Contact, language: str, ids: IdMap, public: bool) -> dict[str, Any]:
    record = flat("contact", contact, language, ids)
    record["phones"] = [_phone(p, language, ids) for p in _visible(contact.phones.all(), public)]
    return record


def location_full(location: m.Location, language: str, ids: IdMap, *, public: bool = True) -> dict[str, Any]:
    record = flat("location", location, language, ids)
    record["addresses"] = [flat("address", a, language, ids) for a in location.addresses.all()]
    record["phones"] = [_phone(p, language, ids) for p in _visible(location.phones.all(), public)]
    record["languages"] = [flat("language", lang, language, ids) for lang in location.languages.all()]
    record["accessibility"] = [flat("accessibility", a, language, ids) for a in location.accessibility.all()]
    record["schedules"] = [flat("schedule", s, language, ids) for s in location.schedules.all()]
    record["contacts"] = [_contact(c, language, ids, public) for c in _visible(location.contacts.all(), public)]
    record["attributes"] = _attributes(location, language, ids)
    return record


def service_at_location_full(
    link: m.ServiceAtLocation, language: str, ids: IdMap, *, public: bool = True, with_service: bool = False
) -> dict[str, Any]:
    record = flat("service_at_location", link, language, ids)
    record["location"] = location_full(link.location, language, ids, public=public)
    record["phones"] = [_phone(p, language, ids) for p in _visible(link.phones.all(), public)]
    record["schedules"] = [flat("schedule", s, language, ids) for s in link.schedules.all()]
    record["service_areas"] = [flat("service_area", a, language, ids) for a in link.service_areas.all()]
    record["contacts"] = [_contact(c, language, ids, public) for c in _visible(link.contacts.all(), public)]
    if with_service:
        # HSDS allows extra properties; a service_at_location read on its own says which service.
        record["service"] = flat("service", link.service, language, ids, public=public)
    return record


def organization_flat(
    organization: m.Organization, language: str, ids: IdMap, *, public: bool = True
) -> dict[str, Any]:
    record = flat("organization", organization, language, ids, public=public)
    record["organization_identifiers"] = [
        {
            "id": item.get("id", ""),
            "organization_id": organization.hsds_id,
            "identifier_scheme": item.get("scheme", ""),
            "identifier_type": item.get("type", ""),
            "identifier": item.get("value", ""),
        }
        for item in organization.identifiers or []
        if item.get("id")
    ]
    return record


def service_full(service: m.Service, language: str, ids: IdMap, *, public: bool = True) -> dict[str, Any]:
    """A fully nested HSDS 3.1 service (prefetch with `service_prefetches()`)."""
    record = flat("service", service, language, ids, public=public)
    if service.organization is not None:
        record["organization"] = organization_flat(service.organization, language, ids, public=public)
    if service.program is not None:
        record["program"] = flat("program", service.program, language, ids)
    record["phones"] = [_phone(p, language, ids) for p in _visible(service.phones.all(), public)]
    record["schedules"] = [flat("schedule", s, language, ids) for s in service.schedules.all()]
    record["service_areas"] = [flat("service_area", a, language, ids) for a in service.service_areas.all()]
    record["service_at_locations"] = [
        service_at_location_full(link, language, ids, public=public) for link in service.service_at_locations.all()
    ]
    record["languages"] = [flat("language", lang, language, ids) for lang in service.languages.all()]
    record["funding"] = [flat("funding", f, language, ids) for f in service.funding.all()]
    record["cost_options"] = [flat("cost_option", c, language, ids) for c in service.cost_options.all()]
    record["required_documents"] = [
        flat("required_document", d, language, ids) for d in service.required_documents.all()
    ]
    record["contacts"] = [_contact(c, language, ids, public) for c in _visible(service.contacts.all(), public)]
    record["capacities"] = []
    for capacity in service.capacities.all():
        item = flat("service_capacity", capacity, language, ids)
        item["unit"] = flat("unit", capacity.unit, language, ids)
        record["capacities"].append(item)
    record["attributes"] = _attributes(service, language, ids)
    if not public:
        record["metadata"] = [
            flat("metadata", row, language, ids)
            for row in m.Metadata.objects.filter(dataset_id=service.dataset_id, resource_id=service.hsds_id)
        ]
    return record


def _location_prefetches(prefix: str) -> list[str]:
    return [
        f"{prefix}addresses",
        f"{prefix}phones__languages",
        f"{prefix}languages",
        f"{prefix}accessibility",
        f"{prefix}schedules",
        f"{prefix}contacts__phones__languages",
        f"{prefix}attributes__taxonomy_term",
    ]


def service_prefetches() -> list[Any]:
    return [
        "phones__languages",
        "schedules",
        "service_areas",
        "languages",
        "funding",
        "cost_options",
        "required_documents",
        "contacts__phones__languages",
        Prefetch("capacities", queryset=m.ServiceCapacity.objects.select_related("unit")),
        Prefetch("attributes", queryset=m.Attribute.objects.select_related("taxonomy_term")),
        Prefetch("service_at_locations", queryset=m.ServiceAtLocation.objects.select_related("location")),
        "service_at_locations__phones__languages",
        "service_at_locations__schedules",
        "service_at_locations__service_areas",
        "service_at_locations__contacts__phones__languages",
        *_location_prefetches("service_at_locations__location__"),
    ]


def services_for_output(queryset: QuerySet[m.Service]) -> QuerySet[m.Service]:
    return queryset.select_related("organization", "program").prefetch_related(*service_prefetches())


def check_language(language: str | None) -> str:
    return language if language in CONTENT_LANGUAGES else "nl"
