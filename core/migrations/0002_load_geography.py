"""Load the municipalities and care zones of core/data/geography.csv (from shared/data), as
editable data: the zone admin corrects it later; `provisional` marks unverified zone membership."""

from django.db import migrations

from core import geography


def forwards(apps, schema_editor):
    geography.load(apps.get_model("core", "CareZone"), apps.get_model("core", "Municipality"))


def backwards(apps, schema_editor):
    apps.get_model("core", "Municipality").objects.all().delete()
    apps.get_model("core", "CareZone").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
