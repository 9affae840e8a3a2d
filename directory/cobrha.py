"""Import a CoBRHA-style registry of care actors (CSV) into the published directory.

Columns (docs/social-map.md, "CoBRHA registry import"): identifier_scheme, identifier, name_nl,
name_fr, address, postcode, city, profession. An organisation is never created twice: a row
matches an existing one by identifier (KBO/BCE or RIZIV/INAMI), else by normalised name and
postcode; a match gains the row's identifier and fills its empty fields, and keeps the rest.
"""

import csv
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.identifiers import normalise_kbo, normalise_riziv
from core.models import Municipality
from directory.hsds.importer import normalise
from directory.models import Address, Dataset, Location, Metadata, Organization
from interop.hsds.reader import ImportRefused
from interop.hsds.schema import Problem, problem

COLUMNS = ("identifier_scheme", "identifier", "name_nl", "name_fr", "address", "postcode", "city", "profession")
REQUIRED = ("identifier_scheme", "identifier", "postcode")
# Scheme column values -> (type, org-id.guide style scheme)
SCHEMES = {
    "kbo": ("KBO", "BE-BCE_KBO"),
    "bce": ("KBO", "BE-BCE_KBO"),
    "kbo/bce": ("KBO", "BE-BCE_KBO"),
    "riziv": ("RIZIV", "BE-RIZIV_INAMI"),
    "inami": ("RIZIV", "BE-RIZIV_INAMI"),
    "riziv/inami": ("RIZIV", "BE-RIZIV_INAMI"),
}
NAMESPACE = uuid.UUID("0b6f2d7e-3c1a-4f4e-8a0e-6c2f1d9b7a55")


@dataclass
class RegistryResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    kind: str  # "KBO" | "RIZIV"
    scheme: str
    value: str  # digits
    name_nl: str
    name_fr: str
    address: str
    postcode: str
    city: str
    profession: str


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ImportRefused(_("The file %(name)s does not exist.") % {"name": path.name})
    size = path.stat().st_size
    if size > settings.DIRECTORY_IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1_048_576, 1), "limit": round(settings.DIRECTORY_IMPORT_MAX_BYTES / 1_048_576, 1)}
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(_("%(file)s is not UTF-8 text.") % {"file": path.name}) from error
    # Belgian spreadsheets often save with semicolons.
    delimiter = ";" if text[:2000].count(";") > text[:2000].count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[dict[str, str]] = []
    try:
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportRefused(
                _("%(file)s lacks the columns: %(columns)s.") % {"file": path.name, "columns": ", ".join(missing)}
            )
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise ImportRefused(
                    _("%(file)s, line %(line)s: the number of cells does not match the header.")
                    % {"file": path.name, "line": reader.line_num}
                )
            rows.append(row)
            if len(rows) > settings.DIRECTORY_IMPORT_MAX_ROWS:
                raise ImportRefused(
                    _("The file has too many records (%(rows)s); the limit is %(limit)s.")
                    % {"rows": len(rows), "limit": settings.DIRECTORY_IMPORT_MAX_ROWS}
                )
    except csv.Error as error:
        raise ImportRefused(
            _("%(file)s is not valid CSV (line %(line)s: %(reason)s).")
            % {"file": path.name, "line": reader.line_num, "reason": str(error)}
        ) from error
    return rows


def _parse(line: int, raw: dict[str, str]) -> _Row | Problem:
    record = str(line)
    value = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    scheme = SCHEMES.get(value["identifier_scheme"].lower())
    if scheme is None:
        return problem(
            "organization",
            record,
            "identifier_scheme",
            "enum",
            allowed="KBO/BCE, RIZIV/INAMI",
            detail=value["identifier_scheme"],
        )
    try:
        digits = (
            normalise_kbo(value["identifier"]) if scheme[0] == "KBO" else normalise_riziv(value["identifier"]).number
        )
    except ValidationError as error:
        return problem(
            "organization", record, "identifier", "bad_identifier", value=value["identifier"], reason=error.messages[0]
        )
    if not (value["name_nl"] or value["name_fr"]):
        return problem("organization", record, "name_nl", "required")
    if not (len(value["postcode"]) == 4 and value["postcode"].isdigit()):
        return problem("organization", record, "postcode", "bad_postcode", value=value["postcode"])
    return _Row(
        line=line,
        kind=scheme[0],
        scheme=scheme[1],
        value=digits,
        name_nl=value["name_nl"][:300],
        name_fr=value["name_fr"][:300],
        address=value["address"][:300],
        postcode=value["postcode"],
        city=value["city"][:100],
        profession=value["profession"][:200],
    )


class _Index:
    """Organisations of the dataset by identifier and by (normalised name, postcode)."""

    def __init__(self, dataset: Dataset) -> None:
        self.by_id: dict[tuple[str, str], Organization] = {}
        self.by_name: dict[tuple[str, str], Organization] = {}
        # An organisation's postcodes: of its own locations, and of the places its services work.
        postcodes: dict[int, set[str]] = {}
        addresses = Address.objects.filter(dataset=dataset)
        for organization_id, postcode in [
            *addresses.values_list("location__organization_id", "postal_code"),
            *addresses.values_list("location__service_at_locations__service__organization_id", "postal_code"),
        ]:
            if organization_id is not None:
                postcodes.setdefault(organization_id, set()).add(postcode)
        for organization in Organization.objects.filter(dataset=dataset):
            self.add(organization, postcodes.get(organization.pk, set()))

    def add(self, organization: Organization, postcodes: set[str]) -> None:
        if organization.kbo_number:
            self.by_id[("KBO", organization.kbo_number)] = organization
        if organization.riziv_number:
            self.by_id[("RIZIV", organization.riziv_number)] = organization
        for item in organization.identifiers or []:
            kind, digits = (
                str(item.get("type", "")).upper(),
                "".join(c for c in str(item.get("value", "")) if c.isdigit()),
            )
            if kind in ("KBO", "RIZIV") and digits:
                self.by_id[(kind, digits)] = organization
        for name in (organization.name_nl, organization.name_fr):
            for postcode in postcodes:
                if name:
                    self.by_name[(normalise(name), postcode)] = organization

    def match(self, row: _Row) -> Organization | None:
        found = self.by_id.get((row.kind, row.value))
        if found is not None:
            return found
        for name in (row.name_nl, row.name_fr):
            if name and (found := self.by_name.get((normalise(name), row.postcode))) is not None:
                return found
        return None


def _identifier(organization: Organization, row: _Row) -> dict[str, str]:
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"{organization.hsds_id}:{row.kind}:{row.value}")),
        "scheme": row.scheme,
        "type": row.kind,
        "value": row.value,
    }


def import_registry(path: Path, *, skip_invalid: bool = False) -> RegistryResult:
    """Import the registry into the published directory, in one transaction. Raises ImportRefused
    for an unreadable file; with rejected rows nothing changes unless `skip_invalid`."""
    result = RegistryResult()
    rows: list[_Row] = []
    for line, raw in enumerate(_read(path), start=2):
        parsed = _parse(line, raw)
        if isinstance(parsed, _Row):
            rows.append(parsed)
        else:
            result.problems.append(parsed)
    if result.problems and not skip_invalid:
        return result
    places = {m.postcode: m for m in Municipality.objects.select_related("zone").order_by("nis_code")}
    now = timezone.now()
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().filter(status=Dataset.Status.PUBLISHED).first()
        if dataset is None:
            dataset = Dataset.objects.create(
                status=Dataset.Status.PUBLISHED, label=path.name, source=path.name, published_at=now, progress=100
            )
        index = _Index(dataset)
        changes: list[Metadata] = []
        for row in rows:
            organization = index.match(row)
            if organization is None:
                organization = _create(dataset, row, places.get(row.postcode))
                result.created += 1
                changes.append(
                    _change(dataset, organization, "create", "identifiers", "", f"{row.kind} {row.value}", now)
                )
            elif _update(organization, row):
                result.updated += 1
                changes.append(
                    _change(dataset, organization, "update", "identifiers", "", f"{row.kind} {row.value}", now)
                )
            else:
                result.unchanged += 1
            index.add(organization, {row.postcode})
        Metadata.objects.bulk_create(changes)
    return result


def _create(dataset: Dataset, row: _Row, municipality: Municipality | None) -> Organization:
    organization = Organization(
        dataset=dataset,
        hsds_id=str(uuid.uuid4()),
        name_nl=row.name_nl,
        name_fr=row.name_fr,
        profession=row.profession,
    )
    organization.identifiers = [_identifier(organization, row)]
    setattr(organization, "kbo_number" if row.kind == "KBO" else "riziv_number", row.value)
    organization.save()
    location = Location.objects.create(
        dataset=dataset,
        hsds_id=str(uuid.uuid4()),
        organization=organization,
        name_nl=row.name_nl,
        name_fr=row.name_fr,
        location_type=Location.Type.PHYSICAL,
    )
    Address.objects.create(
        dataset=dataset,
        hsds_id=str(uuid.uuid4()),
        location=location,
        address_1=row.address,
        city=row.city or (municipality.name if municipality else ""),
        state_province=municipality.zone.region if municipality else "",
        postal_code=row.postcode,
        country="BE",
        address_type="physical",
        municipality=municipality,
    )
    return organization


def _update(organization: Organization, row: _Row) -> bool:
    """Add the identifier and fill empty fields; never overwrite what is there."""
    changed = False
    known = {(str(i.get("type", "")).upper(), str(i.get("value", ""))) for i in organization.identifiers or []}
    if (row.kind, row.value) not in known:
        organization.identifiers = [*(organization.identifiers or []), _identifier(organization, row)]
        changed = True
    number_field = "kbo_number" if row.kind == "KBO" else "riziv_number"
    for name, value in (
        (number_field, row.value),
        ("name_nl", row.name_nl),
        ("name_fr", row.name_fr),
        ("profession", row.profession),
    ):
        if value and not getattr(organization, name):
            setattr(organization, name, value)
            changed = True
    if changed:
        organization.save()
    return changed


def _change(
    dataset: Dataset, organization: Organization, action: str, name: str, before: Any, after: Any, now: Any
) -> Metadata:
    return Metadata(
        dataset=dataset,
        hsds_id=str(uuid.uuid4()),
        resource_id=organization.hsds_id,
        resource_type="organization",
        last_action_date=now,
        last_action_type=action,
        field_name=name,
        previous_value=str(before),
        replacement_value=str(after),
        updated_by="import_cobrha",
    )
