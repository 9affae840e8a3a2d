from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('break_glass', 'emergency access to a dossier'), ('persons_merged', 'two records of one person were merged'), ('team_message', "a new message in a care team's thread"), ('handover', 'open items of a team member who left')], max_length=32),
        ),
    ]
