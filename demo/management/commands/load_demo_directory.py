from typing import Any

from django.core.management.base import BaseCommand

from demo import directory


class Command(BaseCommand):
    help = "Load the synthetic demo social map (about 2,000 services) unless a social map is already published."

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = directory.load()
        if dataset is None:
            self.stdout.write("A social map is already published; the demo directory was not loaded.")
        else:
            self.stdout.write(f"Demo social map loaded: {dataset.total} services.")
