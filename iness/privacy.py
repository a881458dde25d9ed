"""What the privacy notice states, in one place, and its version.

The version is recorded with each consent so we know what was accepted: change it whenever
the notice's content changes (templates/iness/privacy.html and includes/privacy_short.html).
"""

from dataclasses import dataclass

from django.conf import settings

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
