from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from privacy import retention


class Command(BaseCommand):
    help = "Compare the shipped retention rules with those in force; --apply loads them (make run does it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="a rules file other than the shipped one")
        parser.add_argument("--apply", action="store_true", help="load the file")
        parser.add_argument("--markdown", action="store_true", help="print the table for docs/privacy.md and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        shipped = retention.read_file(options["file"])
        if options["markdown"]:
            self.stdout.write(retention.markdown_table(shipped))
            return
        changes = retention.load(shipped) if options["apply"] else retention.plan(shipped)
        for change in changes:
            if change.change != "same":
                self.stdout.write(f"{change.change.upper():8} {change.kind}")
        verb = "loaded" if options["apply"] else "would load (run with --apply)"
        changed = sum(1 for change in changes if change.change != "same")
        self.stdout.write(f"Retention rules version {shipped.version}: {changed} change(s) {verb}.")
