"""Records as HSDS 3.1 objects, in one language, for the export and the /hsds/ API.

Records are read by attribute (the fields interop.hsds.mapping names, related rows through
`.all()`), so any object of that shape serialises; the directory passes its models, prefetched.
Public output never holds what is for professionals only: contacts (a named contact is always
professional-only), professional-only phones, the e-mail of the person who confirmed a service,
and the change log (`metadata`, which names staff).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from core.i18n import exact, fallback_order
from interop.hsds import schema
from interop.hsds.mapping import SPECS

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
    """Turns a record's primary key into its HSDS id, per HSDS object: filled from the records
    being written or loaded beforehand (`update`), else asked of `lookup` one by one."""

    def __init__(self, lookup: Callable[[str, int], str | None] | None = None) -> None:
        self.maps: dict[str, dict[int, str | None]] = defaultdict(dict)
        self.lookup = lookup

    def update(self, obj: str, pairs: Iterable[tuple[int, str]]) -> "IdMap":
        self.maps[obj].update(pairs)
        return self

    def add(self, obj: str, instance: Any) -> None:
        self.maps[obj][instance.pk] = instance.hsds_id

    def get(self, obj: str, pk: int | None) -> str | None:
        if pk is None:
            return None
        known = self.maps[obj]
        if pk not in known:
            known[pk] = self.lookup(obj, pk) if self.lookup else None
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
    ids.add(obj, instance)
    record: dict[str, Any] = {"id": instance.hsds_id}
    for name, (fk, target) in spec.refs.items():
        value = ids.get(target, getattr(instance, f"{fk}_id"))
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


def _phone(phone: Any, language: str, ids: IdMap) -> dict[str, Any]:
    record = flat("phone", phone, language, ids)
    record["languages"] = [flat("language", lang, language, ids) for lang in phone.languages.all()]
    return record


def _contact(contact: Any, language: str, ids: IdMap, public: bool) -> dict[str, Any]:
    record = flat("contact", contact, language, ids)
    record["phones"] = [_phone(p, language, ids) for p in _visible(contact.phones.all(), public)]
    return record


def location_full(location: Any, language: str, ids: IdMap, *, public: bool = True) -> dict[str, Any]:
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
    link: Any, language: str, ids: IdMap, *, public: bool = True, with_service: bool = False
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


def organization_flat(organization: Any, language: str, ids: IdMap, *, public: bool = True) -> dict[str, Any]:
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


def service_full(
    service: Any, language: str, ids: IdMap, *, public: bool = True, metadata: Iterable[Any] = ()
) -> dict[str, Any]:
    """A fully nested HSDS 3.1 service; `metadata` (its change log) is shown only when not public."""
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
        record["metadata"] = [flat("metadata", row, language, ids) for row in metadata]
    return record
