import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bench import data, profile


class Command(BaseCommand):
    help = "Benchmark steps (only under bench.settings): build the data set, log clients in, profile reads."

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        build = steps.add_parser("build", help="fill the (new, migrated) benchmark database")
        build.add_argument("--size", choices=sorted(data.SIZES), default="zone")
        build.add_argument("--clients", type=int, default=8)
        build.add_argument("--sessions-out", help="then log clients in, as `sessions` does, to this file")
        sessions = steps.add_parser("sessions", help="log clients in; write their cookies and pages")
        sessions.add_argument("--clients", type=int, default=8)
        sessions.add_argument("--out", required=True)
        profiling = steps.add_parser("profile", help="time and profile the first client's reads in-process")
        profiling.add_argument("--clients-file", required=True)
        profiling.add_argument("--page", choices=sorted(data.PAGES), default="section")
        profiling.add_argument("--requests", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["step"] == "build":
            built = data.build(options["size"])
            if options["sessions_out"]:
                self._write_sessions(options["clients"], options["sessions_out"])
            self.stdout.write(json.dumps(built))
        elif options["step"] == "sessions":
            self._write_sessions(options["clients"], options["out"])
        else:
            with open(options["clients_file"], encoding="utf-8") as handle:
                client = json.load(handle)[0]
            paths = client["pages"][options["page"]]
            self.stdout.write(json.dumps(profile.profile_reads(client["cookie"], paths, options["requests"])))

    def _write_sessions(self, clients: int, path: str) -> None:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data.create_sessions(clients), handle)
