from typing import Any

from django.core.management.base import BaseCommand, CommandError

from directory import services
from directory.models import Dataset


class Command(BaseCommand):
    help = (
        "Suggest needs for published services that have none (a curator confirms them on /map/taxonomy/suggestions/)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = Dataset.objects.published()
        if dataset is None:
            raise CommandError("No social map is published.")
        self.stdout.write(f"Suggested {services.suggest_terms(dataset)} need(s).")
