from django.core.management.base import BaseCommand

from iness.mail import send_due


class Command(BaseCommand):
    help = "Send the emails waiting in the queue (run it from cron every few minutes)."

    def handle(self, *args, **options):
        counts = send_due()
        self.stdout.write(f"{counts['sent']} sent, {counts['not_sent']} not sent")
