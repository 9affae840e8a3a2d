from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit import chain


class Command(BaseCommand):
    help = "Check the audit chains and name every altered, inserted or deleted row. Exits 1 on any finding."

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain.verify()
        for finding in report.findings:
            self.stdout.write(str(finding))
        if not report.clean:
            # CommandError makes manage.py exit with status 1, so cron or CI notices.
            raise CommandError(
                f"{len(report.findings)} finding(s) of tampering in {report.rows} rows in {report.chains} chains."
            )
        self.stdout.write(f"{report.rows} rows in {report.chains} chains verified, no tampering found.")
