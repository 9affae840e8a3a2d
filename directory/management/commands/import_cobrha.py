"""`manage.py import_cobrha FILE`: import a CoBRHA-style registry of care actors (CSV)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from directory import cobrha
from interop.hsds.problems import describe
from interop.hsds.reader import ImportRefused


class Command(BaseCommand):
    help = "Import organisations from a CoBRHA-style CSV (columns: docs/social-map.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid rows, skip rejected ones")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = cobrha.import_registry(options["file"], skip_invalid=options["skip_invalid"])
        except ImportRefused as refusal:
            raise CommandError(refusal.message) from refusal
        for found in result.problems:
            self.stderr.write(describe(found))
        if result.problems and not options["skip_invalid"]:
            raise CommandError(
                _("%(count)s rows were rejected, so nothing was imported.") % {"count": len(result.problems)}
            )
        self.stdout.write(
            _("%(created)s organisations created, %(updated)s completed, %(unchanged)s already known.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
