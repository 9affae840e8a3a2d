"""The one search interface, on whichever database the suite runs on: accents, stems, typos,
everyday words, places, filters, bounded ranking, and the index kept in step with the data."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from core.models import CareZone, Municipality
from directory import availability
from directory.models import Dataset, Service, ServiceArea
from directory.search import engine, text
from directory.search.engine import search
from directory.search.index import place_token, rebuild_index, reindex_service
from directory.search.models import SearchDocument, SearchPlace
from directory.tests.search.conftest import make_service


@pytest.fixture
def directory(needs, dataset):
    """A small bilingual directory in Schaarbeek, Anderlecht and Geel."""
    services = {
        "cleaning": make_service(
            dataset, name_nl="Dienstenchequebedrijf Proper", name_fr="Titres-services Propre",
            description_fr="Aide ménagère et repassage.", needs=(needs["cleaning-help"],), postcodes=("1030",),
            languages=("nl", "fr"), capacity={"available": 2},
        ),
        "meals": make_service(
            dataset, name_nl="Maaltijddienst Smaakvol", name_fr="Service de repas Savoureux",
            description_fr="Livraison de repas chauds à domicile.", needs=(needs["meals-at-home"],), postcodes=("1070",),
            languages=("fr",), capacity={"available": 0, "waiting_weeks": 6},
        ),
        "nursing": make_service(
            dataset, name_nl="Thuisverpleging Kempen", description_nl="Verpleegkundige zorg en toiletzorg.",
            needs=(needs["home-nursing"],), zone=CareZone.objects.get(name="ELZ Middenkempen"), languages=("nl", "en"),
        ),
        "grocery": make_service(
            dataset, name_nl="Sociale kruidenier De Mand", description_nl="Winkel met lage prijzen.",
            needs=(needs["social-grocery"],), located="2440",
        ),
    }  # fmt: skip
    rebuild_index(dataset)
    return services


def test_text_is_normalised_without_accents_and_stemmed_per_language():
    assert text.words("Aide ménagère à l'hôpital, Œuvre") == ["aide", "menagere", "hopital", "oeuvre"]
    assert text.stem("maaltijden", "nl") == text.stem("maaltijd", "nl")
    assert text.stem("infirmieres", "fr") == text.stem("infirmiere", "fr")


def test_everyday_words_find_the_need_in_the_place_named_in_the_words(directory):
    result = search("poetsvrouw schaarbeek", language="nl")
    assert [need.code for need in result.needs] == ["cleaning-help"]
    assert result.place.nis_code == "21015" and result.place_from_words
    assert result.ids == [directory["cleaning"].pk]
    assert result.hits[0].needs == ["cleaning-help"]


def test_search_is_accent_insensitive_and_stemmed(directory):
    assert search("repas livres a domicile", language="fr").ids[0] == directory["meals"].pk
    assert search("Répas livrés à domicile", language="fr").ids[0] == directory["meals"].pk
    assert search("maaltijden", language="nl").ids[0] == directory["meals"].pk


def test_a_misspelled_word_is_corrected(directory):
    result = search("poetshlup", language="nl")
    assert result.corrections == {"poetshlup": "poetshulp"}
    assert result.ids[0] == directory["cleaning"].pk
    assert search("infirmiere a domicille", language="fr").ids[0] == directory["nursing"].pk


def test_a_municipality_includes_services_whose_area_covers_it_by_municipality_or_zone(directory):
    assert search("thuisverpleging", language="nl", place="Kasterlee").ids == [directory["nursing"].pk]
    assert search("thuisverpleging", language="nl", place="Schaarbeek").ids == []
    assert search("aide ménagère", language="fr", postcode="1030").ids == [directory["cleaning"].pk]
    assert search("aide ménagère", language="fr", municipality="21001").ids == []
    zone = CareZone.objects.get(name="ELZ Middenkempen")
    assert search("sociale kruidenier", language="nl", zone=zone).ids == [directory["grocery"].pk]
    # No area: where it is located counts.
    assert search("sociale kruidenier", language="nl", place="2440").ids == [directory["grocery"].pk]


def test_an_unknown_place_is_said_and_nothing_is_guessed(directory):
    result = search("poetshulp", language="nl", place="Atlantis")
    assert result.place_unknown and result.ids == []


def test_filters_on_language_spoken_and_places_available_now(directory):
    assert search("thuisverpleging", language="nl", spoken_language="en").ids == [directory["nursing"].pk]
    assert search("thuisverpleging", language="nl", spoken_language="ar").ids == []
    assert search("aide ménagère", language="fr", available_now=True).ids == [directory["cleaning"].pk]
    assert search("repas à domicile", language="fr", available_now=True).ids == []


def test_available_now_follows_the_setting_with_a_frozen_clock(directory, settings, monkeypatch):
    settings.DIRECTORY_AVAILABLE_NOW_DAYS = 7
    cleaning = directory["cleaning"]
    cleaning.capacities.update(updated=timezone.now() - timedelta(days=6))
    assert search("aide ménagère", language="fr", available_now=True).ids == [cleaning.pk]
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert search("aide ménagère", language="fr", available_now=True).ids == []
    assert availability.status(Service.objects.get(pk=cleaning.pk)).status == availability.UNKNOWN


def test_only_the_published_directory_is_searched_and_defunct_services_are_left_out(directory, needs, dataset):
    staging = Dataset.objects.create(label="next", status=Dataset.Status.STAGING)
    make_service(staging, name_nl="Poetsdienst Nieuw", needs=(needs["cleaning-help"],), postcodes=("1030",))
    rebuild_index(staging)
    defunct = make_service(
        dataset, name_nl="Poetsdienst Oud", needs=(needs["cleaning-help"],), postcodes=("1030",), status="defunct"
    )
    reindex_service(defunct)
    assert search("poetshulp schaarbeek", language="nl").ids == [directory["cleaning"].pk]


def test_place_alone_lists_the_services_there(directory):
    result = search("", language="nl", place="Schaerbeek")
    assert result.ids == [directory["cleaning"].pk] and result.total == 1


def test_an_empty_query_finds_nothing(directory):
    assert search("", language="nl").ids == []
    assert search("   ", language="fr").total == 0


def test_reindexing_a_service_follows_its_edit(directory):
    grocery = directory["grocery"]
    assert search("zonnewijzer", language="nl").ids == []
    grocery.name_nl = "Sociale kruidenier De Zonnewijzer"
    grocery.save()
    reindex_service(grocery)
    assert search("zonnewijzer", language="nl").ids == [grocery.pk]
    assert SearchDocument.objects.filter(service=grocery).count() == 1
    assert list(SearchPlace.objects.filter(service=grocery).values_list("municipality__postcode", flat=True)) == [
        "2440"
    ]


def test_a_place_filter_follows_an_edit_of_the_service_area(directory, dataset):
    grocery = directory["grocery"]
    assert search("sociale kruidenier", language="nl", place="Geel").ids == [grocery.pk]
    schaarbeek = Municipality.objects.get(postcode="1030")
    ServiceArea.objects.create(dataset=dataset, hsds_id="area-grocery", service=grocery, municipality=schaarbeek)
    reindex_service(grocery)
    assert SearchDocument.objects.get(service=grocery).places == place_token(schaarbeek.pk)
    # With an area, where the service is located no longer counts.
    assert search("sociale kruidenier", language="nl", place="Schaarbeek").ids == [grocery.pk]
    assert search("sociale kruidenier", language="nl", place="Geel").ids == []


def test_ranking_is_bounded_on_broad_words(needs, dataset, monkeypatch):
    for number in range(12):
        make_service(dataset, name_nl=f"Dienst hulp {number}", postcodes=("1030",))
    rebuild_index(dataset)
    monkeypatch.setattr(engine, "TEXT_CAP", 5)
    result = search("hulp dienst", language="nl", limit=20)
    assert result.limited and result.total == 5 and len(result.ids) == 5


def test_the_services_carrying_the_need_are_bounded_too(needs, dataset, monkeypatch):
    for number in range(8):
        make_service(dataset, name_nl=f"Apotheek {number}", needs=(needs["pharmacy"],), postcodes=("1030",))
    rebuild_index(dataset)
    monkeypatch.setattr(engine, "CANDIDATE_CAP", 3)
    monkeypatch.setattr(engine, "TEXT_CAP", 2)
    result = search("apotheek van wacht", language="nl")
    assert result.limited and result.total == 5


def test_names_rank_before_descriptions(needs, dataset):
    in_description = make_service(
        dataset, name_nl="Vzw Alfa", description_nl="Wij doen ook tuinonderhoud.", postcodes=("1030",)
    )
    in_name = make_service(dataset, name_nl="Tuinonderhoud Beta", postcodes=("1030",))
    rebuild_index(dataset)
    assert search("tuinonderhoud", language="nl").ids == [in_name.pk, in_description.pk]


def test_the_index_is_rebuilt_without_leftovers(directory, dataset):
    rebuild_index(dataset)
    assert SearchDocument.objects.filter(dataset=dataset).count() == 4
    assert search("poetsvrouw schaarbeek", language="nl").ids == [directory["cleaning"].pk]


def test_the_migration_gives_existing_documents_their_places(directory):
    """directory_search 0003 fills `places` from SearchPlace and rebuilds the full-text index with it."""
    migration = importlib.import_module("directory.search.migrations.0003_document_places")
    SearchDocument.objects.update(places="")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's rows, checked before the ALTER
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration._run(migration.FORWARD)(None, editor)
    grocery = directory["grocery"]
    geel = SearchPlace.objects.get(service=grocery).municipality_id
    assert SearchDocument.objects.get(service=grocery).places == place_token(geel)
    assert search("sociale kruidenier", language="nl", place="Geel").ids == [grocery.pk]
    assert search("thuisverpleging", language="nl", place="Kasterlee").ids == [directory["nursing"].pk]
