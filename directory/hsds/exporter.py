"""Export the published directory as HSDS 3.1, one language per file: JSON of full services
(paged like the HSDS API) or the tabular data package (a zip of CSVs with datapackage.json).
Ids are the records' HSDS ids, so they are stable from one export to the next."""

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet

from directory import models as m
from directory.hsds import schema
from directory.hsds.mapping import ORDER, SPECS
from directory.hsds.serialize import IdMap, flat, organization_flat, service_full, services_for_output

CHUNK = 500


def page_of(total: int, page: int, per_page: int, contents: list[Any]) -> dict[str, Any]:
    """The HSDS API's Page object around `contents`."""
    pages = max(1, math.ceil(total / per_page)) if per_page else 1
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def _services(dataset: m.Dataset) -> QuerySet[m.Service]:
    return m.Service.objects.filter(dataset=dataset).order_by("hsds_id")


def iter_services(dataset: m.Dataset, language: str, *, public: bool = True) -> Iterator[dict[str, Any]]:
    """Every service, fully nested, in chunks so memory stays flat."""
    ids = IdMap().load(dataset)
    queryset = _services(dataset)
    keys = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(keys), CHUNK):
        for service in services_for_output(
            m.Service.objects.filter(pk__in=keys[start : start + CHUNK]).order_by("hsds_id")
        ):
            yield service_full(service, language, ids, public=public)


def export_json(dataset: m.Dataset, language: str, *, public: bool = True) -> dict[str, Any]:
    """All services on one page of the HSDS API's shape."""
    contents = list(iter_services(dataset, language, public=public))
    return page_of(len(contents), 1, len(contents), contents)


# --- the data package ---


def _field_type(prop: dict[str, Any]) -> str:
    return str(prop.get("datapackage_type") or prop.get("type") or "string")


def _columns(obj: str) -> list[str]:
    properties = schema.schema("3.1", obj)["properties"]
    return [
        name for name, prop in properties.items() if prop.get("type") not in ("array", "object") and "$ref" not in prop
    ]


def descriptor() -> dict[str, Any]:
    """datapackage.json for HSDS 3.1, from the 3.1 schemas (3.1 ships no descriptor of its own)."""
    resources = []
    for obj in [*ORDER, "organization_identifier"]:
        definition = schema.schema("3.1", obj)
        required = set(definition.get("required", []))
        properties = definition["properties"]
        fields = [
            {
                "name": name,
                "type": _field_type(properties[name]),
                "constraints": {"required": name in required, "unique": name == "id"},
            }
            for name in _columns(obj)
        ]
        refs = SPECS[obj].refs if obj in SPECS else {"organization_id": ("organization", "organization")}
        resources.append(
            {
                "name": obj,
                "path": definition["path"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {
                    "primaryKey": "id",
                    "fields": fields,
                    "foreignKeys": [
                        {"fields": name, "reference": {"resource": target, "fields": "id"}}
                        for name, (_fk, target) in refs.items()
                        if name in _columns(obj)
                    ],
                },
            }
        )
    return {
        "name": "human_services_data",
        "title": "Schakel social map (Open Referral HSDS 3.1)",
        "profile": "tabular-data-package",
        "version": "3.1",
        "license": {"name": "CC-BY-SA-4.0 (HSDS schema)"},
        "resources": resources,
    }


def _public_records(obj: str, dataset: m.Dataset) -> QuerySet[Any]:
    queryset = SPECS[obj].model.objects.filter(dataset=dataset)
    if obj in ("taxonomy", "taxonomy_term"):
        # Shared terms used by this dataset's records belong in the package too.
        used = m.Attribute.objects.filter(dataset=dataset).values("taxonomy_term")
        if obj == "taxonomy_term":
            queryset = SPECS[obj].model.objects.filter(Q(dataset=dataset) | Q(pk__in=used))
        else:
            terms = m.TaxonomyTerm.objects.filter(Q(dataset=dataset) | Q(pk__in=used)).values("taxonomy")
            queryset = SPECS[obj].model.objects.filter(Q(dataset=dataset) | Q(pk__in=terms))
    if obj == "contact":
        queryset = queryset.filter(professional_only=False)
    elif obj == "phone":
        queryset = queryset.filter(professional_only=False).exclude(contact__professional_only=True)
    elif obj == "language":
        queryset = queryset.exclude(phone__professional_only=True).exclude(phone__contact__professional_only=True)
    elif obj == "attribute":
        hidden_phones = m.Phone.objects.filter(dataset=dataset).filter(
            Q(professional_only=True) | Q(contact__professional_only=True)
        )
        hidden_contacts = m.Contact.objects.filter(dataset=dataset, professional_only=True)
        queryset = queryset.exclude(link_entity="phone", link_id__in=hidden_phones.values("hsds_id")).exclude(
            link_entity="contact", link_id__in=hidden_contacts.values("hsds_id")
        )
    return queryset.order_by("hsds_id")


def _csv(rows: Iterator[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return buffer.getvalue().encode("utf-8")


def export_package(dataset: m.Dataset, language: str) -> bytes:
    """The public data package as zip bytes: never metadata, contacts or professional phones."""
    ids = IdMap().load(dataset)
    archive_bytes = io.BytesIO()
    package = descriptor()
    with zipfile.ZipFile(archive_bytes, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for resource in package["resources"]:
            obj = resource["name"]
            columns = [f["name"] for f in resource["schema"]["fields"]]
            if obj == "metadata":
                rows: Iterator[dict[str, Any]] = iter(())
            elif obj == "organization_identifier":
                rows = (
                    identifier
                    for organization in m.Organization.objects.filter(dataset=dataset).order_by("hsds_id")
                    for identifier in organization_flat(organization, language, ids)["organization_identifiers"]
                )
            else:
                rows = (flat(obj, record, language, ids) for record in _public_records(obj, dataset).iterator(CHUNK))
            archive.writestr(resource["path"], _csv(rows, columns))
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
    return archive_bytes.getvalue()
