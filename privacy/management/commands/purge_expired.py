from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.services import independent_writes
from privacy import retention
from privacy.purge import purge_expired


class Command(BaseCommand):
    help = (
        "Remove or anonymise what is past its retention period (privacy/retention.toml), one "
        "transaction and one audit row per person. Never the access log. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would go, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        retention.ensure_loaded()
        with independent_writes():
            summary = purge_expired(dry_run=options["dry_run"])
        verb = "would remove" if summary.dry_run else "removed"
        for purged in summary.persons:
            who = f"person {purged.person_id}" if purged.person_id else "no person"
            kinds = ", ".join(f"{kind} {info['rows']} ({info['rule']})" for kind, info in purged.kinds.items())
            self.stdout.write(f"{who}: {verb} {kinds}")
        totals = summary.totals()
        listed = ", ".join(f"{kind} {rows}" for kind, rows in totals.items()) or "nothing"
        prefix = "Dry run: " if summary.dry_run else ""
        self.stdout.write(f"{prefix}{len(summary.persons)} purge(s); {verb}: {listed}. The access log is never purged.")
