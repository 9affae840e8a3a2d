from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from directory.search import terms


class Command(BaseCommand):
    help = "Delete the aggregated search words older than DIRECTORY_SEARCH_TERMS_DAYS (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = terms.purge()
        self.stdout.write(f"Deleted {deleted} row(s) older than {settings.DIRECTORY_SEARCH_TERMS_DAYS} days.")
