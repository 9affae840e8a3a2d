"""Load the municipalities and care zones of core/data/geography.csv (from shared/data), as
editable data: the zone admin corrects it later; `provisional` marks unverified zone membership."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "geography.csv"


def forwards(apps, schema_editor):
    CareZone = apps.get_model("core", "CareZone")
    Municipality = apps.get_model("core", "Municipality")
    with open(CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            zone, _ = CareZone.objects.get_or_create(
                name=row["zone"], defaults={"kind": row["zone_kind"], "region": row["region"]}
            )
            Municipality.objects.get_or_create(
                nis_code=row["nis_code"], postcode=row["postcode"],
                defaults={
                    "name_nl": row["name_nl"], "name_fr": row["name_fr"],
                    "zone": zone, "provisional": row["provisional"] == "yes", "source": row["source"],
                },
            )


def backwards(apps, schema_editor):
    apps.get_model("core", "Municipality").objects.all().delete()
    apps.get_model("core", "CareZone").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
