"""`manage.py run_directory_worker`: run queued social-map imports (started by `make run`)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from directory import jobs


class Command(BaseCommand):
    help = "Run queued directory imports; --once runs those waiting now and exits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between looks at the queue")
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            ran = jobs.run_pending(once=True, chunk_size=options["chunk_size"])
            self.stdout.write(f"{ran} import job(s) run.")
            return
        while True:  # until the process is stopped (make run stops it with the server)
            jobs.run_pending(chunk_size=options["chunk_size"])
            time.sleep(options["interval"])
