from typing import Any

from django.core.management.base import BaseCommand, CommandError

from directory.models import Dataset
from directory.search.index import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index of the published social map (or of --dataset)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dataset", type=int, help="id of a dataset other than the published one")

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = (
            Dataset.objects.filter(pk=options["dataset"]).first() if options["dataset"] else Dataset.objects.published()
        )
        if dataset is None:
            raise CommandError("No such dataset (and none is published).")
        count = rebuild_index(dataset)
        self.stdout.write(f"Indexed {count} service(s) of {dataset}.")
