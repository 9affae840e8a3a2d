from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from access import matrix


class Command(BaseCommand):
    help = "Compare the shipped access-matrix file with the matrix in force; --apply loads it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="a matrix file other than the shipped one")
        parser.add_argument("--apply", action="store_true", help="load the file (the zone's edits are kept)")

    def handle(self, *args: Any, **options: Any) -> None:
        shipped = matrix.read_file(options["file"])
        changes = matrix.load(shipped) if options["apply"] else matrix.plan_reload(shipped)
        for change in changes:
            if change.conflict:
                self.stdout.write(
                    f"KEPT   {change.profile} × {change.category}: the zone set {change.current}; "
                    f"the file moved from {change.shipped_before} to {change.shipped_now}"
                )
            elif change.current:
                self.stdout.write(
                    f"CHANGE {change.profile} × {change.category}: {change.current} → {change.shipped_now}"
                )
            else:
                self.stdout.write(f"NEW    {change.profile} × {change.category}: {change.shipped_now}")
        verb = "loaded" if options["apply"] else "would load (run with --apply)"
        self.stdout.write(f"Matrix version {shipped.version}: {len(changes)} cell(s) {verb}.")
