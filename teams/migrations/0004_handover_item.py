import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models

CATEGORIES = [('identity', 'identity'), ('team', 'care team'), ('situation', 'situation at home'), ('wishes', 'wishes and life goals'), ('plan', 'care plan'), ('medical', 'medical'), ('medication', 'medication'), ('acp', 'advance care planning and consent'), ('hospital', 'hospital stays'), ('assessments', 'assessments'), ('mental_health', 'mental health'), ('caregiver', "caregiver's own burden")]


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
        ('teams', '0003_team_message'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HandoverItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('kind', models.CharField(max_length=64)),
                ('app_label', models.CharField(max_length=64)),
                ('item_id', models.UUIDField()),
                ('category', models.CharField(choices=CATEGORIES, max_length=32)),
                ('title', models.CharField(max_length=200)),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
                ('taken_at', models.DateTimeField(blank=True, null=True)),
                ('assigned_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('from_user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='handover_items', to='people.person')),
                ('taken_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'handover item',
                'ordering': ['created', 'pk'],
                'indexes': [models.Index(fields=['person', 'taken_at'], name='teams_handover_person_taken')],
            },
        ),
    ]
