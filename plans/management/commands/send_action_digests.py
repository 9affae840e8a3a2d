from typing import Any

from django.core.management.base import BaseCommand

from plans.inbox import services


class Command(BaseCommand):
    help = (
        'Queue the daily e-mail digest of "My actions": one background task per user with something '
        "in their inbox (counts and a link, no names). Run once a day; the worker sends them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.send_action_digests()
        self.stdout.write(f"{count} action digests queued.")
