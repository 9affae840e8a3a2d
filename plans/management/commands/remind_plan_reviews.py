from typing import Any

from django.core.management.base import BaseCommand

from plans.reviews import jobs


class Command(BaseCommand):
    help = (
        "Queue the reminder of care plans overdue for review: each care coordinator is told in-app "
        "once per overdue period. Run daily (cron); safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = jobs.remind_plan_reviews.enqueue()
        self.stdout.write(f"Plan review reminders queued ({result.id}).")
