"""`manage.py clean_directory_datasets`: fail and remove imports a killed worker left staging,
and the records of old retired datasets."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from directory.hsds import datasets


class Command(BaseCommand):
    help = "Mark abandoned staging datasets as failed, purge them, and purge old retired datasets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=int, default=30, help="a staging dataset silent this long is abandoned")
        parser.add_argument("--keep-retired", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        abandoned = datasets.abandon_stale_staging(timedelta(minutes=options["minutes"]))
        purged = datasets.purge_retired(keep=options["keep_retired"])
        self.stdout.write(f"{len(abandoned)} abandoned import(s) failed, {purged} retired dataset(s) purged.")
