from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from directory import taxonomy


class Command(BaseCommand):
    help = "Load the shipped need taxonomy (directory/data/need_taxonomy.toml); the zone admin's edits are kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="a taxonomy file other than the shipped one")

    def handle(self, *args: Any, **options: Any) -> None:
        shipped = taxonomy.read_file(options["file"])
        changes = taxonomy.load(shipped)
        for change in changes:
            if change.kept:
                self.stdout.write(
                    f"KEPT   {change.code}.{change.field}: the zone's edit stays; the file changed it too"
                )
        changed = len({change.code for change in changes if not change.kept})
        self.stdout.write(f"Need taxonomy version {shipped.version}: {changed} need(s) added or changed.")
