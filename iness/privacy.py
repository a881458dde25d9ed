"""What the privacy notice states, in one place, its version, and how data are erased.

The version is recorded with each consent so we know what was accepted: change it whenever
the notice's content changes (templates/iness/privacy.html and includes/privacy_short.html).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .history import command
from .models import Event, OutgoingMail

PRIVACY_NOTICE_VERSION = "2026-11-30"

# Where anyone writes about their data: the INESS team's list.
PRIVACY_CONTACT_EMAIL = "iness@listes.imt.fr"


@dataclass(frozen=True)
class PrivacyFacts:
    contact_email: str
    dpo_email: str
    retention_days: int
    version: str


def privacy_facts() -> PrivacyFacts:
    """The facts the notice and its short version state, read from the settings."""
    return PrivacyFacts(
        contact_email=PRIVACY_CONTACT_EMAIL,
        dpo_email=settings.DPO_EMAIL,
        retention_days=settings.RETENTION_DAYS,
        version=PRIVACY_NOTICE_VERSION,
    )


# Erasing personal data ---------------------------------------------------------------------
#
# Two ways lead here: "delete my data" on a private page (each app's `services.erase`), and
# the `purge_personal_data` command (cron), which anonymises each day's data RETENTION_DAYS
# after it, as the privacy notice promises. This module holds what both apps share: the
# neutral values that replace personal data, the erasure of mail records, and the list of
# each app's retention function (apps register theirs in AppConfig.ready, so that `iness`
# depends on no app).

# `.invalid` is reserved (RFC 2606): no message to such an address can ever be delivered.
ANONYMISED_DOMAIN = "anonymised.invalid"
# The recipient of every anonymised mail record.
ANONYMISED_MAIL_TO = f"nobody@{ANONYMISED_DOMAIN}"
# A person who asked for news of future INESS days keeps their name and address this long
# after the day they asked it on (the privacy notice: "never more than three years after
# your last INESS day").
NEWS_KEPT_YEARS = 3

# History labels (iness.history.record's `by`): what erased the data, without saying whose.
ERASED_ON_REQUEST = "personal data erased at the person's request"
PURGE_COMMAND = command("purge_personal_data")


def anonymous_address(obj: models.Model) -> str:
    """A neutral address for an anonymised row, different for each row.

    Different because the database allows one active sign-up per address and day: the
    anonymised attendees of a past day keep their status.
    """
    return f"anonymised-{obj._meta.model_name}-{obj.pk}@{ANONYMISED_DOMAIN}"


def dead_token_hash(obj: models.Model) -> str:
    """A stored token hash that no private link can match (hashes are 64 hex digits)."""
    return f"anonymised-{obj._meta.model_name}-{obj.pk}"


def retention_cutoff(now: dt.datetime) -> dt.date:
    """Days on or before this date are past the retention period."""
    return timezone.localdate(now) - dt.timedelta(days=settings.RETENTION_DAYS)


def news_kept_until(last_day: dt.date) -> dt.date:
    """The day a news contact given for the day `last_day` is erased."""
    try:
        return last_day.replace(year=last_day.year + NEWS_KEPT_YEARS)
    except ValueError:  # 29 February
        return last_day.replace(year=last_day.year + NEWS_KEPT_YEARS, day=28)


@dataclass(frozen=True)
class MailErasure:
    deleted: int
    anonymised: int


def mails_about(*, email: str, event: Event, kind_prefix: str) -> QuerySet[OutgoingMail]:
    """An app's mail records about one person and one day: those sent to the address, and
    the organisers' notices that quote it (as `Name <address>`, hence the brackets: without
    them "ada@x.org" would also find notices about "nada@x.org"). Messages filed under no
    day (lost-link messages) are included: they may list this record too."""
    return (
        OutgoingMail.objects.filter(kind__startswith=kind_prefix)
        .filter(Q(event=event) | Q(event__isnull=True))
        .filter(Q(to__iexact=email) | Q(body__icontains=f"<{email}>"))
    )


def erase_mails(mails: QuerySet[OutgoingMail], *, keep_unsent: bool = False) -> MailErasure:
    """Delete the messages not sent (queued, or given up), anonymise the others.

    An anonymised message keeps its row (kind, day, status, dates, attempts) for the figures,
    without recipient, subject, text or attachments; it can no longer be sent again. With
    `keep_unsent`, messages not sent yet are left alone (they may concern another record of
    the same person that is still alive).
    """
    mails = mails.exclude(to=ANONYMISED_MAIL_TO)
    unsent = [OutgoingMail.Status.QUEUED, OutgoingMail.Status.FAILED]
    deleted = 0
    if keep_unsent:
        mails = mails.exclude(status__in=unsent)
    else:
        deleted, _per_model = mails.filter(status__in=unsent).delete()
    # A message being sent right now is anonymised too: the sender already holds its text,
    # and records only the outcome (status, attempts), never the text, afterwards.
    anonymised = mails.update(
        to=ANONYMISED_MAIL_TO, subject="", body="", html_body="", attachments=[], last_error=""
    )
    return MailErasure(deleted=deleted, anonymised=anonymised)


def purge_mails(*, now: dt.datetime) -> MailErasure:
    """Mail records of days past the retention period; records filed under no day (lost-link
    messages) once they are RETENTION_DAYS old."""
    old = OutgoingMail.objects.filter(
        Q(event__date__lte=retention_cutoff(now))
        | Q(event__isnull=True, created_at__lte=now - dt.timedelta(days=settings.RETENTION_DAYS))
    )
    return erase_mails(old)


# An app's retention function: `purger(now=..., cutoff=..., by=...)` anonymises the app's
# rows of days on or before `cutoff` and returns its counts, by name ({"sign-ups": 3}).
Purger = Callable[..., dict[str, int]]
_purgers: list[Purger] = []


def register_purger(purger: Purger) -> None:
    if purger not in _purgers:
        _purgers.append(purger)


def purge_personal_data(*, now: dt.datetime | None = None, by: str = PURGE_COMMAND) -> dict:
    """Anonymise everything past the retention period, as the privacy notice promises.

    Returns counts only (no personal data), for the command's log line.
    """
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for purger in _purgers:
            counts.update(purger(now=now, cutoff=cutoff, by=by))
        mails = purge_mails(now=now)
    counts["emails deleted unsent"] = mails.deleted
    counts["emails anonymised"] = mails.anonymised
    return counts
