"""HSDS records become plain rows without any model: nested objects flattened with references to
their parents, values typed per the mapping, unreadable values refused as problems."""

from datetime import date
from decimal import Decimal

import pytest

from interop.hsds.rows import BadValue, flatten, to_row
from interop.tests import samples


def test_a_nested_service_flattens_into_records_pointing_at_their_parents():
    service = samples.service(1)
    records: list[tuple[str, dict]] = []
    flatten("service", service, records)
    by_object: dict[str, list[dict]] = {}
    for obj, record in records:
        by_object.setdefault(obj, []).append(record)
    assert records[-1][0] == "service"  # children first, the service itself last
    assert by_object["service"][0]["organization_id"] == service["organization"]["id"]
    assert all(phone["service_id"] == service["id"] for phone in by_object["phone"] if "service_id" in phone)
    assert by_object["service_capacity"][0]["unit_id"] == service["capacities"][0]["unit"]["id"]
    assert {attribute["link_entity"] for attribute in by_object["attribute"]} >= {"service"}


def test_a_record_becomes_typed_values_in_its_language_with_references_by_id():
    record = {
        "id": samples.uid("cost", 1),
        "service_id": samples.uid("service", 1),
        "option": "Per maaltijd",
        "amount": "7.5",
        "currency": "EUR",
        "valid_from": "2026-01-01T00:00:00Z",
    }
    row = to_row("cost_option", record, "nl", owner="x")
    assert row.values == {
        "option_nl": "Per maaltijd",
        "amount": Decimal("7.50"),
        "currency": "EUR",
        "valid_from": date(2026, 1, 1),
    }
    assert row.refs == {"service": ("service", samples.uid("service", 1))}
    assert (row.language, row.owner) == ("nl", "x")


@pytest.mark.parametrize(
    ("record", "field", "code"),
    [
        ({"valid_from": "soon"}, "valid_from", "not_a_date"),
        ({"amount": "a lot"}, "amount", "not_a_number"),
        ({"service_id": ""}, "service_id", "required"),
    ],
)
def test_an_unreadable_value_is_refused_with_a_problem(record, field, code):
    base = {"id": samples.uid("cost", 2), "service_id": samples.uid("service", 1), "option": "x"}
    with pytest.raises(BadValue) as refused:
        to_row("cost_option", {**base, **record}, "nl", owner="x")
    assert (refused.value.problem["field"], refused.value.problem["code"]) == (field, code)
