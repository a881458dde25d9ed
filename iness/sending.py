"""The mail worker's work: send what the outbox holds, exactly once in normal operation.

The outbox (`OutgoingMail`) is the queue. A worker (`manage.py mail_worker`, a loop; or
`manage.py send_queued_mail`, one pass for cron) takes one message at a time:

1. **Claim** it with one conditional UPDATE: a message queued whose turn has come, or one
   whose lease has run out, becomes "sending", leased to this worker until now + `LEASE`
   (the real time, read at that moment). Two workers, or a worker and the cron command,
   cannot both win that UPDATE: the database lets one row change once.
2. **Send** it, outside any transaction, while a guard thread renews the lease every third
   of `LEASE` and cuts the connection past `MAIL_SEND_DEADLINE` (see `iness.smtp`).
3. **Record** the outcome with an UPDATE that holds only while the claim is still this
   worker's: sent (with the moment the server accepted it), refused for good, or queued again.

A worker killed in the middle of a send leaves its message "sending" until the lease ends;
another worker then claims it again, so that one message may go twice (the server may have
accepted it before the worker died). That is the only way a message goes twice.

What the server's replies mean is `iness.smtp.verdict`. A failure that is the server's
(unreachable, password or sender refused, too slow) keeps the message queued and pauses every
worker (`MailServerState`), longer at each failure; messages still undelivered
`MAIL_GIVE_UP_HOURS` after they were recorded are then marked failed. Organisers see all of
it in the admin (`health()`).
"""

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from . import links, smtp
from .mail import attachment_content, fill, hook_for
from .models import MailServerState, OutgoingMail

logger = logging.getLogger(__name__)

Status = OutgoingMail.Status

# How long a claim holds without renewal: what a worker that died costs its message.
LEASE = dt.timedelta(seconds=60)
# After the server's n-th failure in a row, workers wait FIRST_PAUSE * 2**(n-1), at most
# LONGEST_PAUSE, before trying it again.
FIRST_PAUSE = dt.timedelta(seconds=15)
LONGEST_PAUSE = dt.timedelta(minutes=10)
# A message whose recipient's server said "later" (4xx) waits 2, 4, 8... minutes, at most an hour.
LONGEST_MESSAGE_WAIT = dt.timedelta(hours=1)
# Mail waiting longer than this with a healthy server means no worker is running.
WAITING_TOO_LONG = dt.timedelta(minutes=5)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class PassResult:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    paused: bool = False
    links_answered: int = 0
    # Claims lost to another worker (it was quicker): normal when several run.
    taken_by_others: int = 0

    @property
    def busy(self) -> bool:
        """Whether the pass found work: the worker then looks again at once."""
        return bool(self.sent or self.failed or self.retrying or self.links_answered)


def send_due(
    *, limit: int = 100, by: str = "", should_stop: Callable[[], bool] = lambda: False
) -> PassResult:
    """One pass: answer "lost your link?" requests, then send up to `limit` due messages.

    What `send_queued_mail` runs once and `mail_worker` runs in a loop. Stops early when
    the server fails (every worker then pauses) or when `should_stop()` says so.
    """
    by = by or worker_name()
    result = PassResult(links_answered=links.answer_requests())
    state = MailServerState.objects.filter(pk=1).first()
    if state and state.paused_until and state.paused_until > timezone.now():
        result.paused = True
        return result
    server_was_failing = bool(state and state.failing_since)
    due = list(
        OutgoingMail.objects.due(timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outgoing = _Connection()
    try:
        for pk in due:
            if should_stop():
                break
            mail = claim(pk, by=by)
            if mail is None:
                result.taken_by_others += 1
                continue
            problem = _send(mail, outgoing)
            if problem is None:
                _record_sent(mail)
                result.sent += 1
                if server_was_failing:
                    _server_answered()
                    server_was_failing = False
                continue
            status = _record_failure(mail, problem)
            if status == Status.FAILED:
                result.failed += 1
            else:
                result.retrying += 1
            if problem.kind == smtp.SERVER:
                outgoing.close()
                result.paused = True
                break
    finally:
        outgoing.close()
    return result


def claim(pk: int, *, by: str) -> OutgoingMail | None:
    """Take the message for this worker, or None when another worker has it (or it is not
    due any more). One UPDATE: the database lets only one claimant change the row."""
    now = timezone.now()
    claim_id = f"{by}:{uuid.uuid4().hex[:8]}"[:100]
    won = (
        OutgoingMail.objects.due(now)
        .filter(pk=pk)
        .update(
            status=Status.SENDING,
            lease_until=now + LEASE,
            claimed_by=claim_id,
            attempts=F("attempts") + 1,
        )
    )
    if not won:
        return None
    return OutgoingMail.objects.filter(pk=pk, claimed_by=claim_id).first()


def renew(mail: OutgoingMail) -> bool:
    """Extend the lease while the message is still this claim's; False if it is not."""
    return bool(
        OutgoingMail.objects.filter(
            pk=mail.pk, status=Status.SENDING, claimed_by=mail.claimed_by
        ).update(lease_until=timezone.now() + LEASE)
    )


def _mine(mail: OutgoingMail):
    return OutgoingMail.objects.filter(
        pk=mail.pk, status=Status.SENDING, claimed_by=mail.claimed_by
    )


# Sending one message ---------------------------------------------------------------------


class _Connection:
    """One connection to the mail server for a pass, opened at the first message."""

    def __init__(self):
        self.backend = None

    def send(self, message: EmailMultiAlternatives) -> None:
        if self.backend is None:
            self.backend = get_connection(fail_silently=False)
            self.backend.open()
        self.backend.send_messages([message])

    def cut(self) -> bool:
        cut = getattr(self.backend, "cut", None)
        return bool(cut and cut())

    def close(self) -> None:
        backend, self.backend = self.backend, None
        if backend is not None:
            try:
                backend.close()
            except Exception:  # noqa: BLE001 - a connection already broken closes badly
                pass


class _Guard(threading.Thread):
    """Beside one send: renews its lease, and cuts the connection past the deadline."""

    def __init__(self, mail: OutgoingMail, outgoing: _Connection):
        super().__init__(name=f"mail-guard-{mail.pk}", daemon=True)
        self.mail = mail
        self.outgoing = outgoing
        self.finished = threading.Event()
        self.cut = False

    def run(self):
        start = time.monotonic()
        deadline = start + settings.MAIL_SEND_DEADLINE
        every = LEASE.total_seconds() / 3
        renew_at = start + every
        try:
            while not self.finished.wait(max(min(renew_at, deadline) - time.monotonic(), 0.05)):
                now = time.monotonic()
                if now >= deadline:
                    self._cut("took longer than MAIL_SEND_DEADLINE")
                    deadline = now + 1  # the socket may not exist yet: try again shortly
                elif now >= renew_at:
                    renew_at = now + every
                    if not renew(self.mail):
                        # Another worker holds it now: stop rather than send it twice.
                        self._cut("lost its lease")
        except DatabaseError:
            logger.warning("Mail %s: lease not renewed (database error)", self.mail.pk)
        finally:
            connection.close()

    def _cut(self, why: str) -> None:
        if self.outgoing.cut():
            self.cut = True
            logger.warning("Mail %s: connection cut, the send %s", self.mail.pk, why)

    def stop(self):
        self.finished.set()
        self.join()


def _send(mail: OutgoingMail, outgoing: _Connection) -> smtp.Verdict | None:
    """Send one claimed message; None when the server accepted it, else what went wrong."""
    guard = _Guard(mail, outgoing)
    guard.start()
    failure = None
    try:
        hook = hook_for(mail)
        values = {}
        if hook and hook.prepare:
            with transaction.atomic():
                values = hook.prepare(mail)
        outgoing.send(_message(mail, values))
    except DatabaseError:
        raise  # the database, not the message: the lease ends and another pass tries again
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, none is raised
        failure = exc
    finally:
        # Joined before reading `guard.cut`: the cut ends the send before the guard records it.
        guard.stop()
    return None if failure is None else smtp.verdict(failure, cut=guard.cut)


def _message(mail: OutgoingMail, values) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=fill(mail.subject, values),
        body=fill(mail.body, values),
        from_email=mail.from_email,
        to=[mail.to],
    )
    if mail.html_body:
        message.attach_alternative(fill(mail.html_body, values), "text/html")
    for attachment in mail.attachments:
        message.attach(
            attachment["filename"], attachment_content(attachment), attachment["mimetype"]
        )
    return message


# Outcomes -------------------------------------------------------------------------------


def _record_sent(mail: OutgoingMail) -> None:
    hook = hook_for(mail)
    with transaction.atomic():
        mail.sent_at = timezone.now()
        recorded = _mine(mail).update(
            status=Status.SENT, sent_at=mail.sent_at, lease_until=None, last_error=""
        )
        if recorded and hook and hook.accepted:
            mail.status = Status.SENT
            try:
                with transaction.atomic():
                    hook.accepted(mail)
            except Exception:  # noqa: BLE001 - the message went: never send it again for this
                logger.exception("Mail %s (%s): its accepted hook failed", mail.pk, mail.kind)
    if recorded:
        logger.info("Mail %s (%s) sent, attempt %s", mail.pk, mail.kind, mail.attempts)
    else:
        logger.error(
            "Mail %s (%s) sent after its lease had ended: another worker may send it again",
            mail.pk,
            mail.kind,
        )


def _give_up_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(hours=settings.MAIL_GIVE_UP_HOURS)


def _record_failure(mail: OutgoingMail, problem: smtp.Verdict) -> str:
    """Record a failed attempt; returns the message's new status."""
    now = timezone.now()
    too_old = mail.created_at <= _give_up_before(now)
    if problem.kind == smtp.PERMANENT or too_old:
        status, next_attempt = Status.FAILED, mail.next_attempt_at
    elif problem.kind == smtp.RETRY_MESSAGE:
        wait = min(dt.timedelta(minutes=2**mail.attempts), LONGEST_MESSAGE_WAIT)
        status, next_attempt = Status.QUEUED, now + wait
    else:
        status, next_attempt = Status.QUEUED, now
    error = problem.error + (" (given up)" if too_old and problem.kind != smtp.PERMANENT else "")
    with transaction.atomic():
        _mine(mail).update(
            status=status, next_attempt_at=next_attempt, lease_until=None, last_error=error[:500]
        )
        if problem.kind == smtp.SERVER:
            pause = _server_failed(problem, now=now)
    logger.error(
        "Mail %s (%s) not sent, attempt %s: %s%s",
        mail.pk,
        mail.kind,
        mail.attempts,
        problem.error,
        {
            Status.FAILED: " (failed, not retried)",
            Status.QUEUED: " (queued again)",
        }[status],
    )
    if problem.kind == smtp.SERVER:
        logger.error(
            "Mail server problem (%s): every worker waits %s s before trying it again",
            problem.reason,
            int(pause.total_seconds()),
        )
    return status


def _server_failed(problem: smtp.Verdict, *, now: dt.datetime) -> dt.timedelta:
    """Pause every worker, longer at each failure in a row; give up what waited too long."""
    state, _created = MailServerState.objects.select_for_update().get_or_create(pk=1)
    state.failures += 1
    state.failing_since = state.failing_since or now
    pause = min(FIRST_PAUSE * 2 ** min(state.failures - 1, 20), LONGEST_PAUSE)
    state.paused_until = now + pause
    state.reason, state.error = problem.reason, problem.error[:200]
    state.save()
    given_up = OutgoingMail.objects.filter(
        status=Status.QUEUED, created_at__lte=_give_up_before(now)
    ).update(status=Status.FAILED, last_error=f"{problem.error} (given up)"[:500])
    if given_up:
        logger.error(
            "%s message(s) given up after %s hours of mail server problems",
            given_up,
            settings.MAIL_GIVE_UP_HOURS,
        )
    return pause


def _server_answered() -> None:
    MailServerState.objects.filter(pk=1).update(
        failing_since=None, failures=0, paused_until=None, reason="", error=""
    )
    logger.info("Mail server accepts messages again")


# What organisers are told -------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    # Set while the server fails: since when, why (an iness.smtp reason), until when paused.
    failing_since: dt.datetime | None
    reason: str
    error: str
    # Since when a message has been due without being sent, when that is longer than
    # WAITING_TOO_LONG (no worker runs).
    waiting_since: dt.datetime | None
    waiting: int
    failed_recently: int

    @property
    def worrying(self) -> bool:
        return bool(self.failing_since or self.waiting_since or self.failed_recently)


def health(*, now: dt.datetime | None = None) -> Health:
    """What the admin banner says: two queries."""
    now = now or timezone.now()
    state = MailServerState.objects.filter(pk=1).first()
    counts = OutgoingMail.objects.aggregate(
        # Due for a while and still queued: no worker is taking it (a message waiting for a
        # retry after a "try later" from its recipient's server is not overdue).
        oldest=Min("next_attempt_at", filter=Q(status=Status.QUEUED)),
        # Claimed by a worker that died, and no other worker to claim it again.
        stuck=Min("lease_until", filter=Q(status=Status.SENDING)),
        waiting=Count("pk", filter=_waiting()),
        failed=Count(
            "pk", filter=Q(status=Status.FAILED, created_at__gte=now - dt.timedelta(days=7))
        ),
    )
    oldest = min((t for t in (counts["oldest"], counts["stuck"]) if t), default=None)
    return Health(
        failing_since=state.failing_since if state else None,
        reason=state.reason if state else "",
        error=state.error if state else "",
        waiting_since=oldest if oldest and oldest <= now - WAITING_TOO_LONG else None,
        waiting=counts["waiting"],
        failed_recently=counts["failed"],
    )


def _waiting() -> Q:
    return Q(status__in=[Status.QUEUED, Status.SENDING])
