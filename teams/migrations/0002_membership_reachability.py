import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('teams', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='ended_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='membership',
            name='has_24_7_line',
            field=models.BooleanField(default=False, verbose_name='24/7 line'),
        ),
        migrations.AddField(
            model_name='membership',
            name='hours',
            field=models.CharField(blank=True, max_length=100, verbose_name='reachable'),
        ),
        migrations.AddField(
            model_name='membership',
            name='priority_email',
            field=models.EmailField(blank=True, max_length=254, verbose_name='priority e-mail'),
        ),
        migrations.AddField(
            model_name='membership',
            name='priority_phone',
            field=models.CharField(blank=True, max_length=20, verbose_name='priority number'),
        ),
    ]
