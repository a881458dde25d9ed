"""Let lapsed seat offers expire and pass their seats to the next people (cron)."""

from django.core.management.base import BaseCommand

from iness.history import command
from registrations import services


class Command(BaseCommand):
    help = "Expire seat offers whose deadline has passed and offer the seats onward."

    def handle(self, *args, **options):
        lapsed = services.expire_offers(by=command("expire_offers"))
        self.stdout.write(f"{lapsed} lapsed offer(s) expired.")
