"""Loading core/data/geography.csv (from shared/data): used by migration 0002 with the historical
models, and by the demo loader when a test database was flushed."""

import csv
from pathlib import Path
from typing import Any

CSV = Path(__file__).resolve().parent / "data" / "geography.csv"


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
