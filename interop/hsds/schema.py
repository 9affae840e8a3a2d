"""Validation against the official Open Referral HSDS JSON Schemas, shipped in ./schemas/<version>/.

The schemas refer to each other by relative file name ("organization.json"); a referencing
Registry built from the shipped files resolves them, and has no retrieve function, so nothing
is ever fetched from the network. Each problem is returned as data (object, record id, field,
code, params, the validator's own message); interop.hsds.problems turns it into a sentence in
the reader's language.
"""

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
VERSIONS = ("3.0", "3.1")
# A base for the schemas' relative $refs; never fetched (the registry cannot retrieve).
BASE_URI = "https://schakel.invalid/hsds/{version}/"


class Problem(TypedDict):
    object: str  # HSDS object name: "service", "phone", ...
    record_id: str  # the id of the rejected top-level record, "" if it has none
    field: str  # dotted path inside the record, "" for the record itself
    code: str  # a interop.hsds.problems code
    params: dict[str, Any]
    detail: str  # the validator's own (English) message, kept as data


@cache
def _registry(version: str) -> Registry:
    resources = []
    for path in sorted((SCHEMA_DIR / version).glob("*.json")):
        if path.name in ("openapi.json", "datapackage.json"):
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        uri = BASE_URI.format(version=version) + path.name
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def object_names(version: str) -> list[str]:
    names = [p.stem for p in (SCHEMA_DIR / version).glob("*.json")]
    return sorted(n for n in names if n not in ("openapi", "datapackage"))


@cache
def schema(version: str, name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / version / f"{name}.json").read_text(encoding="utf-8"))


# The only validation keywords the HSDS schemas use; the rest (title, example, constraints, core,
# datapackage_type ...) is documentation.
_VALIDATION_KEYWORDS = frozenset({"type", "format", "items", "properties", "required", "enum"})


def _compiled(version: str, uri: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The schema at `uri` with its $refs resolved through the registry and inlined, and only its
    validation keywords: the same rules, validated about twice as fast (large imports)."""
    if uri in seen:  # a cycle (none in HSDS 3.0/3.1): leave the reference to the registry
        return {"$ref": uri}
    contents = _registry(version).resolver().lookup(uri).contents
    return _strip(contents, lambda ref: _compiled(version, BASE_URI.format(version=version) + ref, (*seen, uri)))


def _strip(node: Any, on_ref: Callable[[str], Any]) -> Any:
    """The schema `node` with its validation keywords only; each {"$ref": ...} becomes on_ref(ref)."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return on_ref(node["$ref"])
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {prop: _strip(sub, on_ref) for prop, sub in value.items()}
        elif key == "items":
            out[key] = _strip(value, on_ref)
        elif key in _VALIDATION_KEYWORDS:
            out[key] = value
    return out


@cache
def validator(version: str, name: str) -> Draft202012Validator:
    if version not in VERSIONS:
        raise ValueError(version)
    compiled = _compiled(version, BASE_URI.format(version=version) + f"{name}.json")
    return Draft202012Validator(compiled, registry=_registry(version), format_checker=FormatChecker())


# The formats the HSDS schemas use. The fast validator checks each exactly as jsonschema's
# FormatChecker does (uuid and email are checked; uri, date-time and csv are not, as there).
_FORMATS = ("uuid", "email", "uri", "date-time", "csv", "date", "time")


def _definitions(version: str) -> dict[str, Any]:
    """Every object schema of a version, with its validation keywords only, each $ref pointing at
    "#/definitions/<object>": one document for fastjsonschema, which then makes one function per
    object instead of inlining every nested object again (the inlined service is 12 MB of code)."""
    return {
        name: _strip(schema(version, name), lambda ref: {"$ref": "#/definitions/" + ref.removesuffix(".json")})
        for name in object_names(version)
    }


@cache
def fast_validator(version: str, name: str) -> Callable[[Any], Any]:
    """The same rules as `validator`, compiled to Python code by fastjsonschema: about twenty
    times faster, but it stops at the first error. It only decides that a record is valid; a
    record it rejects goes through jsonschema for its full report (`validate`). The schemas use
    only type, format, items, properties, required, enum and $ref, which mean the same in draft 7
    (fastjsonschema's newest) as in 2020-12."""
    if version not in VERSIONS:
        raise ValueError(version)
    document = {"$ref": f"#/definitions/{name}", "definitions": _definitions(version)}
    checker = FormatChecker()
    # jsonschema's own checks, called directly (uuid and email); the formats it does not check
    # here (uri, date-time, csv ...) pass, as they do there.
    formats = {fmt: (lambda value: True) for fmt in _FORMATS if fmt not in checker.checkers}
    formats |= {
        fmt: _conforms(checker.checkers[fmt], _CANONICAL_UUID if fmt == "uuid" else None)
        for fmt in _FORMATS
        if fmt in checker.checkers
    }
    return fastjsonschema.compile(document, formats=formats)


# The canonical form every HSDS id takes: a quick yes; anything else asks jsonschema's own check.
_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _conforms(check: tuple[Callable[[Any], bool], Any], fast: re.Pattern[str] | None = None) -> Callable[[Any], bool]:
    function, raises = check

    def conforms(value: Any) -> bool:
        if fast is not None and isinstance(value, str) and fast.fullmatch(value):
            return True
        try:
            return bool(function(value))
        except raises:
            return False

    return conforms


def is_valid(version: str, name: str, record: Any) -> bool:
    try:
        fast_validator(version, name)(record)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _code_and_params(error: Any) -> tuple[str, str, dict[str, Any]]:
    """(code, field, params) for one jsonschema error."""
    field = _path(error.absolute_path)
    keyword = error.validator
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        field = f"{field}.{missing}" if field else missing
        return "required", field, {}
    if keyword == "type":
        return "type", field, {"expected": str(error.validator_value)}
    if keyword == "format":
        return "format", field, {"format": str(error.validator_value)}
    if keyword == "enum":
        return "enum", field, {"allowed": ", ".join(str(v) for v in error.validator_value)}
    return "invalid", field, {}


def _object_at(name: str, version: str, path: list[Any]) -> str:
    """The HSDS object at `path` (the one holding the failing field), following the $refs."""
    current = name
    for part in path:
        if isinstance(part, int):
            continue
        prop = schema(version, current).get("properties", {}).get(part, {})
        ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
        if ref:
            current = ref.removesuffix(".json")
    return current


def _holder(error: Any) -> list[Any]:
    """The path of the object holding the failing field ("required" points at the object)."""
    path = list(error.absolute_path)
    return path if error.validator == "required" or not path else path[:-1]


@cache
def _nested_properties(version: str, name: str) -> frozenset[str]:
    properties = schema(version, name).get("properties", {})
    return frozenset(
        key for key, prop in properties.items() if "$ref" in prop or prop.get("type") in ("array", "object")
    )


def validate(version: str, name: str, record: Any, *, tabular: bool = False) -> list[Problem]:
    """Every problem of one record against the HSDS schema of `name` (empty when valid).

    `tabular`: a CSV row, which refers to related objects by id and cannot hold them, so a
    required related object (service_capacity.unit) is not asked for; unit_id stands for it."""
    if is_valid(version, name, record):
        return []
    record_id = record.get("id", "") if isinstance(record, dict) else ""
    problems: list[Problem] = []
    nested = _nested_properties(version, name) if tabular else frozenset()
    for error in sorted(validator(version, name).iter_errors(record), key=lambda e: list(e.absolute_path)):
        code, field, params = _code_and_params(error)
        if code == "required" and field in nested:
            continue
        problems.append(
            Problem(
                object=_object_at(name, version, _holder(error)),
                record_id=str(record_id),
                field=field,
                code=code,
                params=params,
                detail=error.message[:500],
            )
        )
    return problems


def problem(object_name: str, record_id: str, field: str, code: str, detail: str = "", **params: Any) -> Problem:
    return Problem(object=object_name, record_id=record_id, field=field, code=code, params=params, detail=detail)
