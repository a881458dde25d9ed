import signal

from django.core.management.base import BaseCommand

from iness.worker import Worker


class Command(BaseCommand):
    help = (
        "Send the emails the site records, as they come, until stopped (SIGTERM or Ctrl-C "
        "finish the message being sent first). Run one or more beside the app servers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks at the outbox when it is empty (default: 1)",
        )

    def handle(self, *args, interval, **options):
        worker = Worker(interval=interval)
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        worker.run()
