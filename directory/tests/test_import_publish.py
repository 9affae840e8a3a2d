"""What a publish does besides switching the directory: the new dataset's search index, built
before the switch, and needs suggested for the imported services that carry none; and the fast
schema validator, which must never accept what the official schemas reject."""

import copy
import json

import pytest

from directory import taxonomy
from directory.hsds import importer, schema
from directory.models import Dataset, Service
from directory.search.engine import search
from directory.search.models import NeedTerm, SearchDocument, SearchPlace, TermSuggestion
from directory.tests import samples


@pytest.fixture
def needs(db):  # type: ignore[no-untyped-def]
    taxonomy.load(taxonomy.read_file())
    return {need.code: need for need in NeedTerm.objects.all()}


def _import(tmp_path, records, **options):  # type: ignore[no-untyped-def]
    return importer.import_file(samples.write_json(tmp_path / "services.json", records), language="nl", **options)


def test_a_publish_builds_the_new_datasets_search_index(needs, tmp_path):
    result = _import(tmp_path, samples.services(2))
    assert result.published
    services = set(Service.objects.filter(dataset=result.dataset).values_list("pk", flat=True))
    assert set(SearchDocument.objects.filter(dataset=result.dataset).values_list("service_id", flat=True)) == services
    assert SearchPlace.objects.filter(dataset=result.dataset).exists()
    assert set(search("Wit-Gele Kruis", language="nl").ids) == services
    assert set(result.timings) >= {"read", "validate", "stage", "index", "publish", "suggest"}


def test_a_publish_suggests_needs_for_imported_services_without_one(needs, tmp_path):
    # The sample's own taxonomy term ("home-nursing" of the provider's taxonomy) is not the zone's
    # need term: the service arrives without a need, and its words suggest one.
    result = _import(tmp_path, samples.services(2))
    suggested = TermSuggestion.objects.filter(service__dataset=result.dataset, status=TermSuggestion.Status.PENDING)
    assert {(s.service.hsds_id, s.term_id) for s in suggested} == {
        (samples.uid("service", n), needs["home-nursing"].term_id) for n in (1, 2)
    }


def test_a_failing_suggestion_does_not_undo_the_publish(needs, tmp_path, monkeypatch):
    def broken(dataset):  # type: ignore[no-untyped-def]
        raise RuntimeError("matcher broke")

    monkeypatch.setattr(taxonomy, "suggest_terms", broken)
    result = _import(tmp_path, samples.services(1))
    assert result.published
    assert Dataset.objects.published() == result.dataset
    assert not TermSuggestion.objects.exists()


def _mutations(record):  # type: ignore[no-untyped-def]
    """Broken copies of a valid service, each wrong in one way the schemas forbid (or allow)."""

    def change(path, value):  # type: ignore[no-untyped-def]
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
