"""The one way the site records email.

A message is rendered in the recipient's language and recorded as an `OutgoingMail` row in
the same transaction as the change that causes it: if the change rolls back, so does the
message; if it commits, the message is in the outbox. No page talks to the mail server: the
mail worker (`manage.py mail_worker`, see `iness.sending`) sends what the outbox holds, a
second or two later, and `manage.py send_queued_mail` does one pass of the same work (cron).

Send hooks let an app act when the worker sends a message: `prepare` fills placeholders
(`placeholder("link")` in the text) just before sending, and `accepted` runs once the mail
server has accepted the message (`sent_at` is then set). The stored text keeps the
placeholders, never what filled them.
"""

import base64
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .identity import key_or_refused
from .models import Event, MailBatch, OutgoingMail, Person
from .privacy import ANONYMISED_MAIL_TO

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: text (a calendar file) as it is, bytes (a PDF) kept in
    the outbox's JSON as base64, and decoded by the worker (`attachment_content`)."""

    filename: str
    content: str | bytes
    mimetype: str

    def stored(self) -> dict:
        if isinstance(self.content, bytes):
            return {
                "filename": self.filename,
                "content": base64.b64encode(self.content).decode("ascii"),
                "mimetype": self.mimetype,
                "encoding": "base64",
            }
        return {"filename": self.filename, "content": self.content, "mimetype": self.mimetype}


def attachment_content(stored: dict) -> str | bytes:
    """What an attachment of the outbox holds, as `Attachment.stored` recorded it."""
    if stored.get("encoding") == "base64":
        return base64.b64decode(stored["content"])
    return stored["content"]


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    html_body: str = ""


def render(*, template: str, context: dict, language: str) -> Rendered:
    """A message as its reader will read it, in `language`: what `queue_mail` records, and
    what organisers preview before sending (e.g. the decisions' announcement)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"email/{template}_subject.txt", context)
        body = render_to_string(f"email/{template}.txt", context)
        try:
            html_body = render_to_string(f"email/{template}.html", context)
        except TemplateDoesNotExist:
            html_body = ""
    # A subject is one line (as queue_message records it).
    subject = " ".join(line.strip() for line in subject.splitlines() if line.strip())
    return Rendered(subject=subject, body=body, html_body=html_body)


def queue_mail(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    kind: str = "",
    attachments: Iterable[Attachment] = (),
    batch: MailBatch | None = None,
    hook: str = "",
    hook_args: dict | None = None,
    person: Person | None = None,
) -> OutgoingMail | None:
    """Render `email/<template>_subject.txt` and `email/<template>.txt` and queue the message.

    Rendered in `language`, so each person reads mail in the language they used on the site.
    The message is filed under `context["event"]` when there is one (its retention runs from
    that day, iness.erasure), and under `person`, the person it goes to or whose details it
    gives, when there is one (erasing the person erases it). None when a visitor's request
    has used up the person's budget (`visitor_triggered`): nothing is queued then.
    """
    context = {"site_url": settings.SITE_URL, **context}
    rendered = render(template=template, context=context, language=language)
    return queue_message(
        to=to,
        subject=rendered.subject,
        body=rendered.body,
        html_body=rendered.html_body,
        kind=kind or template,
        attachments=attachments,
        event=context.get("event") if isinstance(context.get("event"), Event) else None,
        batch=batch,
        hook=hook,
        hook_args=hook_args,
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
    batch: MailBatch | None = None,
    hook: str = "",
    hook_args: dict | None = None,
    person: Person | None = None,
) -> OutgoingMail | None:
    """Record a message already written (e.g. by organisers) for the mail worker.

    `event`: the day the message is about, if any (its retention runs from that day).
    `batch`: the mailing it belongs to (`new_batch`). `hook`: the name of a send hook
    (`register_hook`) the worker calls with `hook_args` when it sends the message.
    `person`: the person it goes to or whose details it gives, if any (iness.erasure).
    Returns None, and records nothing, past the person's budget of visitor-triggered mails.
    """
    if hook and hook not in _hooks:
        raise ValueError(f"unknown send hook: {hook!r}")
    if _over_visitor_budget(to=to, person=person):
        return None
    # A subject is one line: newlines in it would be a header injection.
    subject = " ".join(line.strip() for line in subject.splitlines() if line.strip())
    mail = OutgoingMail.objects.create(
        kind=kind,
        event=event,
        to=to,
        subject=subject[:300],
        body=body,
        html_body=html_body,
        attachments=[a.stored() for a in attachments],
        batch=batch,
        hook=hook,
        hook_args=hook_args or {},
        person=person,
        visitor_triggered=_counts_against_budget(to=to, person=person),
    )
    return mail


# Mails a visitor can make the site send -----------------------------------------------------

# Each person gets at most this many an hour, whatever the form and whoever asks: no public
# form can be used to flood someone's inbox, and nobody is locked out by posts that sent
# nothing (only mails actually queued count).
VISITOR_MAILS_PER_HOUR = 5
VISITOR_BUDGET_PERIOD = dt.timedelta(hours=1)

_visitor_request: ContextVar[bool] = ContextVar("iness_visitor_triggered_mail", default=False)


@contextmanager
def visitor_triggered():
    """Mails queued inside were asked for by a visitor on a public form, not by the person
    themselves from their private link nor by organisers. A view decorator or a `with` block::

        @visitor_triggered()
        def register(request, slug): ...

        with visitor_triggered():
            send_lost_links(email=..., language=...)

    Inside, a mail to a person at their own address counts against their budget
    (VISITOR_MAILS_PER_HOUR); past it, `queue_mail` and `queue_message` record nothing and
    return None. The organisers' notices are not counted. Off with RATE_LIMITS=false.
    """
    token = _visitor_request.set(True)
    try:
        yield
    finally:
        _visitor_request.reset(token)


def _counts_against_budget(*, to: str, person: Person | None) -> bool:
    return (
        _visitor_request.get()
        and person is not None
        and key_or_refused(to) == person.email_key
        and settings.RATELIMIT_ENABLE
    )


def _over_visitor_budget(*, to: str, person: Person | None) -> bool:
    """Whether a visitor-triggered mail to `person` must be dropped: the person (one per
    email key) has had VISITOR_MAILS_PER_HOUR of them queued in the last hour. Rows of this
    transaction count, and a rolled-back one does not: only mails actually queued count."""
    if not _counts_against_budget(to=to, person=person):
        return False
    since = timezone.now() - VISITOR_BUDGET_PERIOD
    queued = OutgoingMail.objects.filter(
        person=person, visitor_triggered=True, created_at__gte=since
    ).count()
    if queued < VISITOR_MAILS_PER_HOUR:
        return False
    # No address in the log: the person's number is enough to look into it.
    logger.info("Visitor mail budget of person %s used up; a mail was not queued", person.pk)
    return True


def requeue(mail: OutgoingMail) -> bool:
    """Put a failed or sent message back in the queue, for organisers who want it resent.

    A message being sent, and an anonymised one (nothing left to send), stay as they are.
    Returns whether it was put back.
    """
    return bool(
        OutgoingMail.objects.filter(pk=mail.pk)
        .exclude(status=OutgoingMail.Status.SENDING)
        .exclude(to=ANONYMISED_MAIL_TO)
        .update(
            status=OutgoingMail.Status.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            last_error="",
            sent_at=None,
        )
    )


def resend_failed(batch: MailBatch) -> int:
    """Put the failed messages of a mailing back in the queue; returns how many."""
    return sum(requeue(mail) for mail in batch.mails.filter(status=OutgoingMail.Status.FAILED))


# Mailings -------------------------------------------------------------------------------


def new_batch(*, label: str, event: Event | None = None, by=None) -> MailBatch:
    """A mailing, to pass as `batch` to each of its messages (in the same transaction)."""
    return MailBatch.objects.create(label=label[:300], event=event, created_by=by)


@dataclass(frozen=True)
class Progress:
    queued: int
    sent: int
    failed: int

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed

    @property
    def done(self) -> bool:
        return self.queued == 0


def _progress_counts(prefix: str = "") -> dict:
    S = OutgoingMail.Status
    return {
        "mails_sent": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": S.SENT})),
        "mails_failed": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": S.FAILED})),
        "mails_queued": Count(
            f"{prefix}pk", filter=Q(**{f"{prefix}status__in": [S.QUEUED, S.SENDING]})
        ),
    }


def with_progress(batches: QuerySet[MailBatch]) -> QuerySet[MailBatch]:
    """Annotate `mails_queued`, `mails_sent`, `mails_failed` (one query for a whole list)."""
    return batches.annotate(**_progress_counts("mails__"))


def progress_of_related(path: str) -> dict:
    """The same annotations for rows that point to a mailing, e.g. `progress_of_related(
    "batch__")` on messages to attendees."""
    return _progress_counts(f"{path}mails__")


def progress(batch) -> Progress:
    """Where a mailing stands: waiting (or being sent), sent, failed. `batch` may be any row
    annotated by `with_progress` or `progress_of_related` (no query then)."""
    if hasattr(batch, "mails_sent"):
        counts = {name: getattr(batch, name) for name in _progress_counts()}
    else:
        counts = batch.mails.aggregate(**_progress_counts())
    return Progress(
        queued=counts["mails_queued"], sent=counts["mails_sent"], failed=counts["mails_failed"]
    )


# Send hooks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SendHook:
    """What an app does when the worker sends one of its messages.

    `prepare(mail)` runs in a transaction just before the message goes to the server, and
    returns what fills the message's placeholders ({name: text}); nothing it returns is
    stored. `accepted(mail)` runs in the transaction that records the server's acceptance
    (`mail.sent_at` is that moment). Both receive the row with `mail.hook_args`.
    """

    prepare: Callable[[OutgoingMail], Mapping[str, str]] | None = None
    accepted: Callable[[OutgoingMail], None] | None = None


_hooks: dict[str, SendHook] = {}


def register_hook(name: str, hook: SendHook) -> None:
    """Apps register their hooks in `AppConfig.ready()`."""
    _hooks[name] = hook


def hook_for(mail: OutgoingMail) -> SendHook | None:
    if not mail.hook:
        return None
    try:
        return _hooks[mail.hook]
    except KeyError:
        raise LookupError(f"send hook {mail.hook!r} is not registered") from None


def placeholder(name: str) -> str:
    """Text to put in a message where its `prepare` hook's value `name` goes."""
    return f"[[iness:{name}]]"


def fill(text: str, values: Mapping[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(placeholder(name), value)
    return text
