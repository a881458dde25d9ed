from django.core.management.base import BaseCommand

from iness.sending import send_due


class Command(BaseCommand):
    help = (
        "Send the emails waiting in the outbox, in one pass (for cron, or when no mail worker "
        "runs). Claims each message as the worker does, so both may run at once."
    )

    def handle(self, *args, **options):
        total = {"sent": 0, "failed": 0, "retrying": 0, "links": 0}
        while True:
            result = send_due()
            total["sent"] += result.sent
            total["failed"] += result.failed
            total["retrying"] += result.retrying
            total["links"] += result.links_answered
            if result.paused or not result.busy:
                break
        self.stdout.write(
            f"{total['sent']} sent, {total['failed']} failed, {total['retrying']} to retry"
            + (" (mail server paused)" if result.paused else "")
        )
