"""Loading core/data/geography.csv (from shared/data) and core/data/care_zones.csv: used by
migrations 0002 and 0003 with the historical models, and by the demo loader when a test database
was flushed."""

import csv
from pathlib import Path
from typing import Any

CSV = Path(__file__).resolve().parent / "data" / "geography.csv"
# The care zones' official names in Dutch and French (geography.csv names each zone once, as its key).
ZONE_NAMES_CSV = Path(__file__).resolve().parent / "data" / "care_zones.csv"


def load(care_zone_model: Any, municipality_model: Any) -> int:
    """Create the zones and municipalities that are missing; never overwrite the zone's edits."""
    created = 0
    with open(CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            zone, _ = care_zone_model.objects.get_or_create(
                name=row["zone"], defaults={"kind": row["zone_kind"], "region": row["region"]}
            )
            _, new = municipality_model.objects.get_or_create(
                nis_code=row["nis_code"],
                postcode=row["postcode"],
                defaults={
                    "name_nl": row["name_nl"],
                    "name_fr": row["name_fr"],
                    "zone": zone,
                    "provisional": row["provisional"] == "yes",
                    "source": row["source"],
                },
            )
            created += new
    return created


def load_zone_names(care_zone_model: Any) -> int:
    """Give the zones their Dutch and French names where they have none yet (never overwrite the
    zone's edits). A zone not listed keeps its one name, shown in both languages."""
    named = 0
    with open(ZONE_NAMES_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            named += care_zone_model.objects.filter(name=row["zone"], name_nl="", name_fr="").update(
                name_nl=row["name_nl"], name_fr=row["name_fr"]
            )
    return named
