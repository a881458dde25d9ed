"""Remind confirmed attendees a few days before the day, once each (cron, daily)."""

from django.core.management.base import BaseCommand

from iness.history import command
from registrations import services


class Command(BaseCommand):
    help = "Email each confirmed attendee of a day starting within --days days (once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=3, help="How many days ahead to remind (default 3)."
        )

    def handle(self, *args, days, **options):
        sent = services.send_reminders(days=days, by=command("send_reminders"))
        self.stdout.write(f"{sent} reminder(s) queued.")
