"""Anonymise personal data RETENTION_DAYS after each day, as the privacy notice says (cron)."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from iness import erasure, privacy

logger = logging.getLogger("iness.privacy")


class Command(BaseCommand):
    help = (
        "Anonymise the sign-ups, the proposals not published in a programme and the emails "
        "of every day that ended RETENTION_DAYS ago or more (run it daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be anonymised, and change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        with transaction.atomic():
            counts = erasure.purge_personal_data(now=now)
            if dry_run:
                # The same work, undone: the counts are exactly what a real run would do.
                transaction.set_rollback(True)
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        line = (
            f"{'Dry run, nothing changed. Would anonymise' if dry_run else 'Anonymised'} "
            f"the data of days on or before {privacy.retention_cutoff(now):%Y-%m-%d} "
            f"(RETENTION_DAYS={settings.RETENTION_DAYS}): {summary}"
        )
        logger.info("purge_personal_data: %s", line)
        self.stdout.write(line)
