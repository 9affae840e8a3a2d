"""Search quality over the demo directory (issue 5, "Quality"): the query set's shape, that none
of its queries was copied into the taxonomy's everyday words, the demo directory itself, and
success@5 >= 0.9 on the database the suite runs on."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from demo import directory as demo_directory
from directory import availability, taxonomy
from directory.models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    Dataset,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
    Unit,
)
from directory.search import quality, text
from directory.search.index import FTS_TABLE
from directory.search.models import NeedTerm, SearchDocument, SearchPlace, SearchWord, TermSuggestion

QUERIES = quality.read_queries()
GEOGRAPHY = Path(settings.BASE_DIR) / "core" / "data" / "geography.csv"


def test_the_query_set_has_sixty_everyday_queries_half_dutch_half_french():
    languages = Counter(query.language for query in QUERIES)
    assert len(QUERIES) >= 60
    assert languages["nl"] == languages["fr"]
    assert sum(1 for query in QUERIES if query.place) >= 20
    codes = {term.code for term in taxonomy.read_file().terms}
    with open(GEOGRAPHY, encoding="utf-8", newline="") as handle:
        places = {row["nis_code"] for row in csv.DictReader(handle)}
    for query in QUERIES:
        assert set(query.terms) <= codes, query.text
        assert not query.place or query.place in places, query.text


def test_no_query_is_copied_word_for_word_into_the_everyday_words():
    phrases = set()
    for term in taxonomy.read_file().terms:
        for field in ("everyday_words_nl", "everyday_words_fr"):
            phrases |= {" ".join(text.words(line)) for line in term.values.get(field, "").splitlines()}
    for query in QUERIES:
        assert " ".join(text.words(query.text)) not in phrases, query.text


def _remove(dataset: Dataset) -> None:
    """Delete the demo directory, children first (raw deletes: no history rows, no collector)."""
    TermSuggestion.objects.filter(service__dataset=dataset).delete()
    for model in (SearchWord, SearchPlace, SearchDocument, Attribute, ServiceCapacity, Phone, Contact, Language,
                  Schedule, CostOption, ServiceArea, ServiceAtLocation, Address, Location, Service, Organization, Unit):  # fmt: skip
        rows = model.objects.filter(dataset=dataset)
        rows._raw_delete(rows.db)
    Dataset.objects.filter(pk=dataset.pk).delete()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo directory, loaded once for this module and removed after it."""
    with django_db_blocker.unblock():
        dataset = demo_directory.load()
        assert dataset is not None
        yield dataset
        _remove(dataset)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        NeedTerm.history.all().delete()
        NeedTerm.objects.all().delete()
        TaxonomyTerm.objects.filter(dataset=None).delete()
        Taxonomy.objects.filter(dataset=None).delete()


@pytest.mark.django_db
def test_the_demo_directory_spans_brussels_bilingual_and_the_kempen_in_dutch(demo):
    services = Service.objects.filter(dataset=demo)
    assert services.count() >= 2000
    assert SearchDocument.objects.filter(dataset=demo).count() == services.count()
    brussels = services.filter(service_areas__municipality__zone__kind="bassin").distinct()
    kempen = services.filter(service_areas__municipality__zone__kind="eerstelijnszone").distinct()
    assert brussels.count() > 700 and kempen.count() > 700
    assert not brussels.filter(name_fr="").exists() and not brussels.filter(description_fr="").exists()
    assert not kempen.filter(name_nl="").exists() and not kempen.exclude(name_fr="").exists()
    assert not services.filter(attributes__isnull=True).exists()  # every service has a need


@pytest.mark.django_db
def test_the_demo_directory_has_a_realistic_mix_of_availability(demo):
    statuses = Counter()
    stale = 0
    for service in Service.objects.filter(dataset=demo).prefetch_related("capacities"):
        found = availability.status(service)
        statuses[found.status] += 1
        stale += found.is_stale
    total = sum(statuses.values())
    for status in (availability.AVAILABLE, availability.WAITING_LIST, availability.FULL, availability.UNKNOWN):
        assert statuses[status] > total * 0.05, status
    assert total * 0.05 < stale < total * 0.5


@pytest.mark.django_db
def test_every_query_has_relevant_services_in_the_demo_directory(demo):
    truth = quality._Truth(demo)
    empty = [query.text for query in QUERIES if not truth.relevant(query)]
    assert empty == []


@pytest.mark.django_db
def test_success_at_5_is_at_least_0_9_and_the_everyday_words_help(demo):
    figures = quality.evaluate()
    baseline = quality.evaluate(everyday=False)
    missed = [(outcome.query.text, outcome.rank) for outcome in figures.misses()]
    assert figures.success_at_5 >= 0.9, missed
    assert figures.mrr_at_10 >= 0.85
    assert baseline.success_at_5 < figures.success_at_5
