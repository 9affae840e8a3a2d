"""`manage.py import_hsds FILE --language nl`: import HSDS JSON or a data package, with a progress bar."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from directory.hsds import datasets, importer
from interop.hsds.problems import describe
from interop.hsds.reader import ImportRefused


class ProgressBar:
    """A bar on a terminal; one line per step of ten per cent elsewhere (logs, tests)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last = -1

    def __call__(self, percent: int, stage: str) -> None:
        if not self.tty and percent // 10 == self.last // 10 and percent != 100:
            return
        self.last = percent
        filled = percent * 30 // 100
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {percent:3d}%  {stage}"
        if self.tty:
            self.stream.write("\r" + line.ljust(79))
            if percent == 100:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import Open Referral HSDS 3.0/3.1 data (JSON of services, or a data package folder or .zip)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--language", choices=["nl", "fr", "en"], help="language of the text in the file")
        parser.add_argument("--mode", choices=importer.MODES, default="merge")
        parser.add_argument("--skip-invalid", action="store_true", help="publish the valid records, skip rejected ones")
        parser.add_argument("--hsds-version", choices=["auto", "3.0", "3.1"], default="auto")
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        bar = ProgressBar(sys.stdout) if options["verbosity"] > 0 else None
        try:
            result = importer.import_file(
                options["file"],
                language=options["language"],
                mode=options["mode"],
                skip_invalid=options["skip_invalid"],
                version=options["hsds_version"],
                chunk_size=options["chunk_size"],
                progress=bar or importer._no_progress,
            )
        except ImportRefused as refusal:
            raise CommandError(refusal.message) from refusal
        for found in result.problems:
            self.stderr.write(describe(found))
        if not result.published:
            raise CommandError(result.dataset.message)
        datasets.purge_retired()
        total = sum(result.counts.values())
        self.stdout.write(
            _("Published dataset %(id)s: %(services)s services, %(total)s records.")
            % {"id": result.dataset.pk, "services": result.counts.get("service", 0), "total": total}
        )
