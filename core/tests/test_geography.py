import csv
from pathlib import Path

from django.conf import settings

from core.models import CareZone, Municipality

CSV = Path(settings.BASE_DIR) / "core" / "data" / "geography.csv"


def test_every_row_of_the_geography_file_is_loaded_with_its_provisional_flag(db):
    with open(CSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert Municipality.objects.count() == len(rows)
    for row in rows:
        municipality = Municipality.objects.get(nis_code=row["nis_code"], postcode=row["postcode"])
        assert municipality.provisional == (row["provisional"] == "yes")
        assert municipality.zone.name == row["zone"]
    assert CareZone.objects.count() == len({row["zone"] for row in rows})


def test_the_city_of_brussels_lies_in_several_bassins(db):
    zones = set(Municipality.objects.filter(nis_code="21004").values_list("zone__name", flat=True))
    assert len(zones) > 1


def test_municipality_name_follows_the_language(db):
    from django.utils import translation

    anderlecht = Municipality.objects.get(postcode="1070")
    schaerbeek = Municipality.objects.get(nis_code="21015")
    with translation.override("fr"):
        assert schaerbeek.name == "Schaerbeek"
    with translation.override("nl"):
        assert schaerbeek.name == "Schaarbeek"
    assert anderlecht.name == "Anderlecht"
