import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models

CATEGORIES = [('identity', 'identity'), ('team', 'care team'), ('situation', 'situation at home'), ('wishes', 'wishes and life goals'), ('plan', 'care plan'), ('medical', 'medical'), ('medication', 'medication'), ('acp', 'advance care planning and consent'), ('hospital', 'hospital stays'), ('assessments', 'assessments'), ('mental_health', 'mental health'), ('caregiver', "caregiver's own burden")]


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
        ('teams', '0002_membership_reachability'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TeamMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('category', models.CharField(choices=CATEGORIES, max_length=32, verbose_name='category')),
                ('body', models.TextField(verbose_name='message')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('addressees', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='team_messages', to='people.person')),
            ],
            options={
                'verbose_name': 'team message',
                'ordering': ['created_at', 'pk'],
                'indexes': [models.Index(fields=['person', 'category', 'created_at'], name='teams_message_person_cat')],
            },
        ),
        migrations.CreateModel(
            name='MessageRead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('read_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('message', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reads', to='teams.teammessage')),
            ],
            options={
                'verbose_name': 'message read',
                'constraints': [models.UniqueConstraint(fields=('message', 'user'), name='teams_messageread_unique')],
            },
        ),
    ]
