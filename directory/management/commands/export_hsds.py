"""`manage.py export_hsds OUT --lang nl [--package]`: the published directory as HSDS 3.1."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from directory.hsds import output
from directory.models import Dataset


class Command(BaseCommand):
    help = "Export the published directory as HSDS 3.1 JSON (or, with --package, a zipped data package)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path)
        parser.add_argument("--lang", choices=["nl", "fr", "en"], default="nl")
        parser.add_argument("--package", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = Dataset.objects.published()
        if dataset is None:
            raise CommandError("No directory is published yet.")
        if options["package"]:
            options["out"].write_bytes(output.export_package(dataset, options["lang"]))
        else:
            page = output.export_json(dataset, options["lang"])
            options["out"].write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(f"Written {options['out']}")
