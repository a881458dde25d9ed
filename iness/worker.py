"""The long-running mail worker: `manage.py mail_worker`.

It runs `iness.sending.send_due` again and again: at once while there is work, every
`interval` seconds (1 by default) when the outbox is empty, so that a message recorded by a
page goes out a second or two later. SIGTERM or SIGINT (Ctrl-C) lets the message being sent
finish (within MAIL_SEND_DEADLINE), then the worker exits. Several workers may run at once,
on one machine or several: each message is claimed by one of them (see iness.sending).
"""

import logging
import time

from django.db import DatabaseError, close_old_connections

from . import sending

logger = logging.getLogger(__name__)


class Worker:
    def __init__(self, *, interval: float = 1.0, name: str = ""):
        self.interval = interval
        self.name = name or sending.worker_name()
        self.stopping = False

    def stop(self, *args) -> None:
        """Finish the message being sent, then leave (a signal handler, or from a test)."""
        if not self.stopping:
            logger.info("Mail worker %s stopping after the current message", self.name)
        self.stopping = True

    def run(self) -> None:
        logger.info("Mail worker %s started", self.name)
        while not self.stopping:
            busy = False
            try:
                result = sending.send_due(by=self.name, should_stop=lambda: self.stopping)
                busy = result.busy and not result.paused
            except DatabaseError:
                # The database went away: its message's lease ends, another pass retries it.
                logger.exception("Mail worker %s: database error, trying again", self.name)
            # As after a request: a connection that broke or grew old is replaced.
            close_old_connections()
            if not busy:
                self._sleep(self.interval)
        logger.info("Mail worker %s stopped", self.name)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.1, end - time.monotonic()))
