"""What a publish does besides switching the directory: the new dataset's search index, built
before the switch, and needs suggested for the imported services that carry none. (The fast
schema validator's tests are in interop/tests/test_schema.py.)"""

import pytest

from directory import services, taxonomy
from directory.hsds import importer
from directory.models import Dataset, Service
from directory.search.engine import search
from directory.search.models import NeedTerm, SearchDocument, SearchPlace, TermSuggestion
from interop.tests import samples


@pytest.fixture
def needs(db):
    taxonomy.load(taxonomy.read_file())
    return {need.code: need for need in NeedTerm.objects.all()}


def _import(tmp_path, records, **options):
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
    def broken(dataset):
        raise RuntimeError("matcher broke")

    monkeypatch.setattr(services, "suggest_terms", broken)
    result = _import(tmp_path, samples.services(1))
    assert result.published
    assert Dataset.objects.published() == result.dataset
    assert not TermSuggestion.objects.exists()
