import datetime as dt

from django.core.management.base import BaseCommand

from proposals.services import REMIND_AFTER, remind_unconfirmed


class Command(BaseCommand):
    help = (
        "Remind, once, the accepted speakers who have not confirmed they will present "
        "(run it from cron once a day)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=REMIND_AFTER.days,
            help="Days after the decision email before reminding (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        count = remind_unconfirmed(after=dt.timedelta(days=days))
        self.stdout.write(f"{count} reminder(s) queued")
