"""The official HSDS schemas ship with the app and resolve their $refs locally, never online; the
fast validator never accepts what the official schemas reject."""

import copy
import json

import pytest
from referencing.exceptions import Unresolvable

from interop.hsds import schema
from interop.tests import samples


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_every_object_schema_of_both_versions_loads(version):
    names = schema.object_names(version)
    assert {"service", "organization", "location", "taxonomy_term", "metadata"} <= set(names)
    assert ("service_capacity" in names) is (version == "3.1")
    for name in names:
        assert schema.validator(version, name) is not None
    assert (
        (schema.SCHEMA_DIR / version / "LICENSE").read_text().startswith("The Human Services Data Specification (HSDS)")
    )


def test_a_reference_outside_the_shipped_files_is_never_fetched():
    resolver = schema._registry("3.1").resolver()
    with pytest.raises(Unresolvable):
        resolver.lookup("https://schakel.invalid/hsds/3.1/not_shipped.json")
    with pytest.raises(Unresolvable):
        resolver.lookup("https://raw.githubusercontent.com/openreferral/specification/3.1/schema/service.json")


def test_a_valid_service_has_no_problems_and_nested_ones_name_their_object():
    service = samples.service(1)
    assert schema.validate("3.1", "service", service) == []
    service["capacities"][0]["unit"] = {"id": samples.uid("unit", 5)}
    service["organization"]["id"] = "not-a-uuid"
    problems = schema.validate("3.1", "service", service)
    assert [(p["object"], p["field"], p["code"]) for p in problems] == [
        ("unit", "capacities[0].unit.name", "required"),
        ("organization", "organization.id", "format"),
    ]
    assert problems[0]["detail"] == "'name' is a required property"


def test_30_data_without_31_objects_validates_against_both():
    service = samples.service(1)
    del service["capacities"]
    assert schema.validate("3.0", "service", service) == []
    assert schema.validate("3.1", "service", service) == []


def test_a_csv_row_needs_no_nested_object():
    row = {
        "id": samples.uid("capacity", 1),
        "unit_id": samples.uid("unit", 0),
        "available": 2,
        "updated": "2025-01-01T00:00:00Z",
    }
    assert schema.validate("3.1", "service_capacity", row) == [
        {
            "object": "service_capacity",
            "record_id": row["id"],
            "field": "unit",
            "code": "required",
            "params": {},
            "detail": "'unit' is a required property",
        }
    ]
    assert schema.validate("3.1", "service_capacity", row, tabular=True) == []


@pytest.mark.parametrize(
    "value",
    [
        "0b6f4a52-7c1e-4d3a-9e0f-5a8b2c4d6e71",
        "0B6F4A52-7C1E-4D3A-9E0F-5A8B2C4D6E71",
        "0b6f4a527c1e4d3a9e0f5a8b2c4d6e71",
        "{0b6f4a52-7c1e-4d3a-9e0f-5a8b2c4d6e71}",
        "urn:uuid:0b6f4a52-7c1e-4d3a-9e0f-5a8b2c4d6e71",
        "0b6f4a52-7c1e-4d3a-9e0f-5a8b2c4d6e7",
        "0b6f4a52-7c1e-4d3a-9e0f-5a8b2c4d6e71\n",
        "zb6f4a52-7c1e-4d3a-9e0f-5a8b2c4d6e71",
    ],
)
def test_the_fast_validator_judges_ids_as_jsonschema_does(value):
    """The compiled validator's quick path for canonical uuids never accepts what jsonschema refuses."""
    record = {"id": value, "number": "+32 2 000 00 00"}
    assert schema.is_valid("3.1", "phone", record) == (not list(schema.validator("3.1", "phone").iter_errors(record)))


def _mutations(record):
    """Broken copies of a valid service, each wrong in one way the schemas forbid (or allow)."""

    def change(path, value):
        broken = copy.deepcopy(record)
        target = broken
        for part in path[:-1]:
            target = target[part]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return broken

    return [
        change(["id"], "not-a-uuid"),
        change(["id"], "5f0c6a4e8d4b4c8e9a572b1f3c7d9e10"),  # a uuid without its dashes
        change(["name"], 12),
        change(["name"], KeyError),
        change(["status"], "sleeping"),
        change(["status"], KeyError),
        change(["minimum_age"], "eighteen"),
        change(["minimum_age"], True),
        change(["minimum_age"], 18.0),
        change(["email"], "no-at-sign"),
        change(["organization", "name"], None),
        change(["organization", "description"], KeyError),
        change(["phones", 0, "number"], KeyError),
        change(["phones", 0, "id"], "x"),
        change(["phones"], {"id": "not a list"}),
        change(["schedules", 0, "freq"], "HOURLY"),
        change(["service_areas", 0, "name"], ["a", "list"]),
        change(["capacities", 0, "available"], "none"),
        change(["capacities", 0, "unit"], KeyError),
        change(["service_at_locations", 0, "location", "location_type"], KeyError),
        change(["service_at_locations", 0, "location", "addresses", 0, "postal_code"], 1030),
        change(["attributes", 0, "taxonomy_term", "name"], KeyError),
        change(["url"], "not a url"),  # the schemas do not check uri: valid for both
        change(["assured_date"], "yesterday"),  # nor date-time
        change(["languages", 0, "code"], "nl"),
        {**copy.deepcopy(record), "extra": {"unknown": "fields are allowed"}},
        ["a", "list"],
        "a string",
    ]


@pytest.mark.parametrize("version", schema.VERSIONS)
def test_the_fast_validator_accepts_exactly_what_jsonschema_accepts(version):
    record = json.loads(json.dumps(samples.service(1)))
    assert schema.is_valid(version, "service", record)
    assert schema.validate(version, "service", record) == []
    for broken in _mutations(record):
        official = not list(schema.validator(version, "service").iter_errors(broken))
        assert schema.is_valid(version, "service", broken) == official, broken
        assert (schema.validate(version, "service", broken) == []) == official, broken


def test_a_record_the_fast_validator_rejects_gets_the_full_report():
    record = json.loads(json.dumps(samples.service(1)))
    record["name"] = 12
    record["phones"][0]["id"] = "x"
    found = schema.validate("3.1", "service", record)
    assert {(problem["object"], problem["field"], problem["code"]) for problem in found} == {
        ("service", "name", "type"),
        ("phone", "phones[0].id", "format"),
    }
