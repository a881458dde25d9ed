"""What the privacy notice states, in one place, its version, and how data are erased.

The version is recorded with each consent so we know what was accepted: change it whenever
the notice's content changes (templates/iness/privacy.html and includes/privacy_short.html).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

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

# History labels (iness.history.record's `by`): what erased the data, without saying whose.
ERASED_ON_REQUEST = "personal data erased at the person's request"


def anonymous_address(obj: models.Model) -> str:
    """A neutral address for an anonymised row, different for each row.

    Different because the database allows one active sign-up per address and day: the
    anonymised attendees of a past day keep their status.
    """
    return f"anonymised-{obj._meta.model_name}-{obj.pk}@{ANONYMISED_DOMAIN}"


def dead_token_hash(obj: models.Model) -> str:
    """A stored token hash that no private link can match (hashes are 64 hex digits)."""
    return f"anonymised-{obj._meta.model_name}-{obj.pk}"


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
