"""The HSDS 3.1 export formats: the API's Page object (the JSON export of full services is one
page) and the tabular data package (a zip of CSVs with datapackage.json). The directory supplies
the rows (directory.hsds.output); this module knows only the format."""

import csv
import io
import json
import math
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from interop.hsds import schema
from interop.hsds.mapping import ORDER, SPECS


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


def _csv(rows: Iterator[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return buffer.getvalue().encode("utf-8")


def write_package(rows_of: Callable[[str], Iterator[dict[str, Any]]]) -> bytes:
    """The data package as zip bytes; `rows_of(resource name)` gives each table's rows (HSDS
    records as `serialize.flat` makes them)."""
    archive_bytes = io.BytesIO()
    package = descriptor()
    with zipfile.ZipFile(archive_bytes, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for resource in package["resources"]:
            columns = [f["name"] for f in resource["schema"]["fields"]]
            archive.writestr(resource["path"], _csv(rows_of(resource["name"]), columns))
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
    return archive_bytes.getvalue()
