"""HSDS records as plain rows, the data an importer writes: nested objects flattened into flat
records that point at their parents by id, and each record's fields read per interop.hsds.mapping
into typed values (text per language, numbers, dates) with references by HSDS id. A value that
cannot be read is refused with a Problem. Which table holds a row is the importer's business."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.i18n import CONTENT_LANGUAGES
from interop.hsds.mapping import ATTRIBUTE_LINKS, NESTED, SPECS
from interop.hsds.schema import Problem, problem


@dataclass
class Row:
    """One HSDS record ready to stage: its values and references by HSDS id."""

    obj: str
    hsds_id: str
    values: dict[str, Any]
    refs: dict[str, tuple[str, str]]  # foreign key -> (HSDS object, HSDS id)
    language: str
    owner: str  # the top-level record it came with (a JSON service, or itself)


class BadValue(Exception):
    def __init__(self, found: Problem) -> None:
        super().__init__(found["code"])
        self.problem = found


def to_row(obj: str, record: dict[str, Any], language: str, owner: str) -> Row:
    """One flat HSDS record as a Row: text in `language` (a taxonomy term may state its own),
    typed values, references by HSDS id; BadValue for a value that cannot be read."""
    spec = SPECS[obj]
    hsds_id = str(record["id"])
    values: dict[str, Any] = {}
    refs: dict[str, tuple[str, str]] = {}
    record_language = language
    if obj == "taxonomy_term" and str(record.get("language", ""))[:2] in CONTENT_LANGUAGES:
        record_language = str(record["language"])[:2]
    for name, (fk, target) in spec.refs.items():
        if record.get(name):
            refs[fk] = (target, str(record[name]))
        elif name in spec.required_refs:
            raise BadValue(problem(obj, hsds_id, name, "required"))
    # One pass over the record's own fields (a large import converts millions of values).
    kinds = _field_kinds(obj)
    for name, value in record.items():
        kind = kinds.get(name)
        if kind is None or value is None:
            continue
        if kind == "text":
            values[f"{name}_{record_language}"] = str(value)
        elif kind == "plain":
            values[name] = str(value)
        elif value or kind not in ("date", "datetime"):  # an empty date is no date
            values[name] = _CONVERTERS[kind](obj, hsds_id, name, value)
    if obj == "taxonomy_term" and record.get("taxonomy"):
        values["taxonomy_name"] = str(record["taxonomy"])
    if obj == "attribute":
        entity = ATTRIBUTE_LINKS.get(str(record.get("link_entity", "")))
        if entity and record.get("link_id"):
            refs[entity] = (entity, str(record["link_id"]))
    return Row(obj, hsds_id, values, refs, record_language, owner)


def flatten(obj: str, record: dict[str, Any], out: list[tuple[str, dict[str, Any]]]) -> None:
    """A nested HSDS object as flat records, each child pointing at its parent by id."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if not isinstance(value, dict | list):
            flat[key] = value  # a plain value wins over the id of a nested object (setdefault below)
            continue
        nested = NESTED.get((obj, key))
        if key == "attributes" and isinstance(value, list):
            for attribute in value:
                if isinstance(attribute, dict):
                    child = {"link_id": record.get("id"), "link_entity": obj, **attribute}
                    flatten("attribute", child, out)
        elif key == "metadata" and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    out.append(("metadata", {"resource_id": record.get("id"), "resource_type": obj, **item}))
        elif nested and nested[2] == "many" and isinstance(value, list):
            child_obj, reference, _kind = nested
            for child in value:
                if isinstance(child, dict):
                    flatten(child_obj, {reference: record.get("id"), **child}, out)
        elif nested and nested[2] == "one" and isinstance(value, dict):
            child_obj, reference, _kind = nested
            flat.setdefault(reference, value.get("id"))
            flatten(child_obj, value, out)
    out.append((obj, flat))


@cache
def _field_kinds(obj: str) -> dict[str, str]:
    """HSDS field -> how it is read: "text" (per language), "plain", or a converter's name."""
    spec = SPECS[obj]
    kinds = dict.fromkeys(spec.text, "text") | dict.fromkeys(spec.plain, "plain")
    for kind, names in (
        ("int", spec.ints),
        ("float", spec.floats),
        ("decimal", spec.decimals),
        ("date", spec.dates),
        ("datetime", spec.datetimes),
    ):
        kinds |= dict.fromkeys(names, kind)
    return kinds


def _int(obj: str, hsds_id: str, name: str, value: Any) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadValue(problem(obj, hsds_id, name, "not_a_number", value=str(value)[:50])) from None
    if not number.is_integer() or not -(2**31) < number < 2**31:
        raise BadValue(problem(obj, hsds_id, name, "out_of_range", value=str(value)[:50]))
    if name in ("minimum_age", "maximum_age", "year_incorporated", "extension", "count", "interval") and not (
        0 <= number <= 32767
    ):
        raise BadValue(problem(obj, hsds_id, name, "out_of_range", value=str(value)[:50]))
    return int(number)


def _float(obj: str, hsds_id: str, name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise BadValue(problem(obj, hsds_id, name, "not_a_number", value=str(value)[:50])) from None


def _decimal(obj: str, hsds_id: str, name: str, value: Any) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise BadValue(problem(obj, hsds_id, name, "not_a_number", value=str(value)[:50])) from None
    if abs(number) >= Decimal("1e8"):
        raise BadValue(problem(obj, hsds_id, name, "out_of_range", value=str(value)[:50]))
    return number


def _date(obj: str, hsds_id: str, name: str, value: Any) -> date:
    text = str(value)
    try:
        # A date-time where a date is meant ("2024-05-01T00:00:00Z") keeps its date.
        parsed = parse_date(text[:10] if len(text) > 10 and text[10] in "T " else text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadValue(problem(obj, hsds_id, name, "not_a_date", value=str(value)[:50]))
    return parsed


def _datetime(obj: str, hsds_id: str, name: str, value: Any) -> datetime:
    text = str(value)
    try:
        parsed = parse_datetime(text)
        if parsed is None and (day := parse_date(text)) is not None:
            parsed = datetime.combine(day, datetime.min.time())
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadValue(problem(obj, hsds_id, name, "not_a_datetime", value=text[:50]))
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


_CONVERTERS: dict[str, Callable[[str, str, str, Any], Any]] = {
    "int": _int,
    "float": _float,
    "decimal": _decimal,
    "date": _date,
    "datetime": _datetime,
}
