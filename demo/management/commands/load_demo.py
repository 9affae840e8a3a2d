from typing import Any

from django.core.management.base import BaseCommand

from demo import zone


class Command(BaseCommand):
    help = "Load the synthetic demo care zone (refused under production settings) and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = zone.load()
        self.stdout.write("\nDemo care zone ready at http://127.0.0.1:8000/ — one login per profile,")
        self.stdout.write(f"all with the password: {zone.DEMO_PASSWORD}\n")
        width = max(len(label) for label, _ in logins)
        for label, email in logins:
            self.stdout.write(f"  {label:<{width}}  {email}")
        self.stdout.write("")
