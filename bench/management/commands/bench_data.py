import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.models import AuditEntry
from bench import data


class Command(BaseCommand):
    help = "Benchmark data (only under bench.settings): build the data set, log clients in, count audit rows."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="step", required=True)
        build = commands.add_parser("build")
        build.add_argument("--size", choices=sorted(data.SIZES), default="zone")
        sessions = commands.add_parser("sessions")
        sessions.add_argument("--clients", type=int, default=8)
        sessions.add_argument("--out", required=True)
        commands.add_parser("count")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["step"] == "build":
            self.stdout.write(json.dumps(data.build(options["size"])))
        elif options["step"] == "sessions":
            with open(options["out"], "w", encoding="utf-8") as handle:
                json.dump(data.create_sessions(options["clients"]), handle)
        else:
            self.stdout.write(json.dumps({"audit_rows": AuditEntry.objects.count()}))
