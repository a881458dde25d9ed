"""What the privacy notice states, in one place, its version, and the periods it promises.

The version is recorded with each consent so we know what was accepted: change it whenever
the notice's content changes (templates/iness/privacy.html and includes/privacy_short.html).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .history import command

# Raised when the notice says something new (2026-12-04: people named in a proposal).
PRIVACY_NOTICE_VERSION = "2026-12-04.1"

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
# The erasure itself is `iness.erasure` ("delete my data", and the `purge_personal_data`
# command). These are the values and periods it uses, and the notice states.

# `.invalid` is reserved (RFC 2606): no message to such an address can ever be delivered.
ANONYMISED_DOMAIN = "anonymised.invalid"
# The recipient of every anonymised mail record.
ANONYMISED_MAIL_TO = f"nobody@{ANONYMISED_DOMAIN}"
# A person who asked for news of future INESS days keeps their name and address this long
# after their last INESS day (the privacy notice: "never more than three years after your
# last INESS day").
NEWS_KEPT_YEARS = 3

# History labels (iness.history.record's `by`): what erased the data, without saying whose.
ERASED_ON_REQUEST = "personal data erased at the person's request"
PURGE_COMMAND = command("purge_personal_data")


def retention_cutoff(now: dt.datetime) -> dt.date:
    """Days on or before this date are past the retention period."""
    return timezone.localdate(now) - dt.timedelta(days=settings.RETENTION_DAYS)


def news_kept_until(last_day: dt.date) -> dt.date:
    """The day a news contact whose last INESS day was `last_day` is erased."""
    try:
        return last_day.replace(year=last_day.year + NEWS_KEPT_YEARS)
    except ValueError:  # 29 February
        return last_day.replace(year=last_day.year + NEWS_KEPT_YEARS, day=28)
