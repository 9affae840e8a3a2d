from typing import Any

from django.core.management.base import BaseCommand

from teams import services


class Command(BaseCommand):
    help = (
        "Put the open items of care-team memberships that ran out on their end date in the "
        "coordinator's handover queue. Run daily; safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.hand_over_expired()
        self.stdout.write(f"{count} expired memberships handed over.")
