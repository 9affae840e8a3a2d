"""The care zones' names in Dutch and French (issue 11: the Dutch pages showed the Brussels
bassins by their French names only), from core/data/care_zones.csv."""

from django.db import migrations, models

from core import geography


def forwards(apps, schema_editor):
    geography.load_zone_names(apps.get_model("core", "CareZone"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_load_geography")]

    operations = [
        migrations.AddField(
            model_name="carezone",
            name="name_nl",
            field=models.CharField(blank=True, max_length=100, verbose_name="name (Dutch)"),
        ),
        migrations.AddField(
            model_name="carezone",
            name="name_fr",
            field=models.CharField(blank=True, max_length=100, verbose_name="name (French)"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
