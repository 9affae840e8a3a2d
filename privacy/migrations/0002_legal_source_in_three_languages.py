"""The retention rules' legal source in English, Dutch and French, like their label and reasoning
(issue 11: the retention page showed it in English to every reader). The English text in force is
kept; `manage.py load_retention --apply` (make run) brings the Dutch and French from the file."""

from django.db import migrations, models


def to_languages(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for rule in RetentionRule.objects.all():
        rule.legal_source_texts = {"en": rule.legal_source}
        rule.save(update_fields=["legal_source_texts"])


def to_english(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for rule in RetentionRule.objects.all():
        rule.legal_source = (rule.legal_source_texts or {}).get("en", "")
        rule.save(update_fields=["legal_source"])


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="retentionrule", name="legal_source_texts", field=models.JSONField(default=dict)
        ),
        migrations.RunPython(to_languages, to_english),
        migrations.RemoveField(model_name="retentionrule", name="legal_source"),
        migrations.RenameField(model_name="retentionrule", old_name="legal_source_texts", new_name="legal_source"),
        migrations.AlterField(
            model_name="retentionrule",
            name="legal_source",
            field=models.JSONField(default=dict, verbose_name="legal source"),
        ),
    ]
