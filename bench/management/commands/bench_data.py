import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.models import AuditEntry
from bench import data, profile


class Command(BaseCommand):
    help = "Benchmark steps (only under bench.settings): build the data set, log clients in, count, profile."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="step", required=True)
        build = commands.add_parser("build")
        build.add_argument("--size", choices=sorted(data.SIZES), default="zone")
        sessions = commands.add_parser("sessions")
        sessions.add_argument("--clients", type=int, default=8)
        sessions.add_argument("--out", required=True)
        commands.add_parser("count")
        profiling = commands.add_parser("profile")
        profiling.add_argument("--clients-file", required=True)
        profiling.add_argument("--requests", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["step"] == "build":
            self.stdout.write(json.dumps(data.build(options["size"])))
        elif options["step"] == "sessions":
            with open(options["out"], "w", encoding="utf-8") as handle:
                json.dump(data.create_sessions(options["clients"]), handle)
        elif options["step"] == "profile":
            with open(options["clients_file"], encoding="utf-8") as handle:
                client = json.load(handle)[0]
            self.stdout.write(json.dumps(profile.profile_reads(client["cookie"], client["paths"], options["requests"])))
        else:
            self.stdout.write(json.dumps({"audit_rows": AuditEntry.objects.count()}))
