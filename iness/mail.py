"""The one way the site sends email.

A message is rendered in the recipient's language and recorded as an `OutgoingMail` row in
the same transaction as the change that causes it; it is sent once that transaction commits.
If the mail server is down, the row stays queued and `manage.py send_queued_mail` (cron) sends
it later, with bounded retries; a permanent refusal (SMTP 5xx) is not retried.

A message is *claimed* (queued -> sending, in one UPDATE) before it is sent, so two app servers
or a server and the cron command never send the same message twice.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Event, OutgoingMail, Person
from .privacy import ANONYMISED_MAIL_TO

logger = logging.getLogger(__name__)

# A message still "sending" after this long belongs to a process that died mid-send.
STALE_CLAIM = dt.timedelta(minutes=10)

# Set in the shared cache when the mail server did not answer: for MAIL_PAUSE_SECONDS,
# requests leave their mail queued for `send_queued_mail` instead of trying again, since each
# try could hold a visitor's request for EMAIL_TIMEOUT seconds (a burst of sign-ups, or a
# message to every attendee, while the server is down).
SERVER_DOWN_KEY = "iness.mail.server-down"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str


def queue_mail(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    kind: str = "",
    attachments: Iterable[Attachment] = (),
    person: Person | None = None,
) -> OutgoingMail:
    """Render `email/<template>_subject.txt` and `email/<template>.txt` and queue the message.

    Rendered in `language`, so each person reads mail in the language they used on the site.
    The message is filed under `context["event"]` when there is one (its retention runs from
    that day, iness.erasure), and under `person`, the person it goes to or whose details it
    gives, when there is one (erasing the person erases it).
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"email/{template}_subject.txt", context)
        body = render_to_string(f"email/{template}.txt", context)
        try:
            html_body = render_to_string(f"email/{template}.html", context)
        except TemplateDoesNotExist:
            html_body = ""
    return queue_message(
        to=to,
        subject=subject,
        body=body,
        html_body=html_body,
        kind=kind or template,
        attachments=attachments,
        event=context.get("event") if isinstance(context.get("event"), Event) else None,
        person=person,
    )


def queue_message(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    html_body: str = "",
    attachments: Iterable[Attachment] = (),
    event: Event | None = None,
    person: Person | None = None,
) -> OutgoingMail:
    """Record a message already written (e.g. by organisers) and send it after commit.

    `event`: the day the message is about, if any (its retention runs from that day).
    `person`: the person it goes to or whose details it gives, if any (iness.erasure).
    """
    # A subject is one line: newlines in it would be a header injection.
    subject = " ".join(line.strip() for line in subject.splitlines() if line.strip())
    mail = OutgoingMail.objects.create(
        kind=kind,
        event=event,
        person=person,
        to=to,
        subject=subject[:300],
        body=body,
        html_body=html_body,
        attachments=[a.__dict__ for a in attachments],
    )
    transaction.on_commit(lambda: _send_after_commit(mail.pk, mail))
    return mail


def _send_after_commit(pk: int, mail: OutgoingMail) -> None:
    """Send at once unless the mail server was found down a moment ago."""
    try:
        server_down = cache.get(SERVER_DOWN_KEY)
    except Exception:  # noqa: BLE001 - a cache failure must not cost the visitor their page
        logger.warning("Mail pause flag unreadable: sending anyway", exc_info=True)
        server_down = False
    if not server_down:
        send_queued(pk, mail=mail)


def send_queued(
    pk: int, *, now: dt.datetime | None = None, mail: OutgoingMail | None = None
) -> bool:
    """Send one queued message if nobody else is sending it. Never raises: failures are kept.

    `mail`: the message as just recorded by the transaction that committed it, which saves
    reading it back (a sign-up sends two messages within its request).
    """
    now = now or timezone.now()
    claimed = OutgoingMail.objects.filter(
        pk=pk, status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now
    ).update(status=OutgoingMail.Status.SENDING, claimed_at=now)
    if not claimed:
        return False
    if mail is None:
        mail = OutgoingMail.objects.get(pk=pk)
    else:
        mail.status, mail.claimed_at = OutgoingMail.Status.SENDING, now
    try:
        _deliver(mail)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, none is raised
        _record_failure(mail, exc, now=now)
        return False
    mail.status = OutgoingMail.Status.SENT
    mail.sent_at = timezone.now()
    mail.attempts += 1
    mail.last_error = ""
    mail.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return True


def send_due(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send every message whose turn has come; what `send_queued_mail` runs."""
    now = now or timezone.now()
    # Give back messages claimed by a process that died before it could record the outcome.
    OutgoingMail.objects.filter(
        status=OutgoingMail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=OutgoingMail.Status.QUEUED)
    counts = {"sent": 0, "not_sent": 0}
    for pk in (
        OutgoingMail.objects.due(now).order_by("created_at").values_list("pk", flat=True)[:limit]
    ):
        counts["sent" if send_queued(pk, now=now) else "not_sent"] += 1
    return counts


def requeue(mail: OutgoingMail) -> None:
    """Put a failed or sent message back in the queue, for organisers who want it resent.

    An anonymised message has nothing left to send and stays as it is.
    """
    OutgoingMail.objects.filter(pk=mail.pk).exclude(status=OutgoingMail.Status.SENDING).exclude(
        to=ANONYMISED_MAIL_TO
    ).update(
        status=OutgoingMail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    transaction.on_commit(lambda: send_queued(mail.pk))


def _deliver(mail: OutgoingMail) -> None:
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.body, from_email=mail.from_email, to=[mail.to]
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    for attachment in mail.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    message.send(fail_silently=False)


def _is_permanent(exc: Exception) -> bool:
    """An SMTP 5xx answer means the server will never take this message: don't retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _record_failure(mail: OutgoingMail, exc: Exception, *, now: dt.datetime) -> None:
    mail.attempts += 1
    permanent = _is_permanent(exc)
    # Only the error's class and SMTP code: the message text may echo addresses or credentials.
    codes = [getattr(exc, "smtp_code", "")]
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _msg in exc.recipients.values()})
    mail.last_error = " ".join([type(exc).__name__, *map(str, codes)]).strip()
    if not permanent:
        _pause_sending()
    if permanent or mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
        mail.status = OutgoingMail.Status.FAILED
    else:
        mail.status = OutgoingMail.Status.QUEUED
        # Back off: 2, 4, 8, 16... minutes between attempts.
        mail.next_attempt_at = now + dt.timedelta(minutes=2**mail.attempts)
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    logger.error(
        "Mail %s (%s) not sent, attempt %s: %s%s",
        mail.pk,
        mail.kind,
        mail.attempts,
        mail.last_error,
        " (permanent, not retried)" if permanent else "",
    )


def _pause_sending() -> None:
    try:
        cache.set(SERVER_DOWN_KEY, True, timeout=settings.MAIL_PAUSE_SECONDS)
    except Exception:  # noqa: BLE001 - without the flag, requests simply try the server again
        logger.warning("Mail pause flag not set", exc_info=True)
