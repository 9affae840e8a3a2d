"""Issue 11: a Brussels bassin is named in Dutch on Dutch pages and in French on French pages; a
Flemish primary-care zone keeps its one (Dutch) name."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import CareZone


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [("nl", "zorgzone Noord", "bassin Nord"), ("fr", "bassin Nord", "zorgzone Noord")],
)
def test_the_municipality_pages_name_the_bassin_in_the_readers_language(db, language, expected, foreign):
    client = Client()
    client.cookies["django_language"] = language
    for url in (reverse("directory:municipalities"), reverse("directory:municipality", args=["21010", "1090"])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert expected in page, url
        assert foreign not in page, url


def test_every_bassin_has_a_dutch_and_a_french_name(db):
    bassins = CareZone.objects.filter(kind=CareZone.Kind.BASSIN)
    assert bassins.count() == 5
    assert all(zone.name_nl.startswith("zorgzone ") and zone.name_fr.startswith("bassin ") for zone in bassins)
