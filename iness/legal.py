"""What the legal notice and the accessibility statement state, in one place.

Institut Mines-Télécom is a public body: its sites publish a legal notice (mentions légales,
loi n° 2004-575 du 21 juin 2004, article 6) and an accessibility statement in the RGAA form
(loi n° 2005-102 du 11 février 2005, article 47). The facts this code cannot know (the
publisher's address, the director of publication, the host) come from the settings, and
`manage.py check --deploy` warns while one is missing.

The accessibility statement says how conformity was checked; when the site or its checks
change substantially, check again and update `ACCESSIBILITY_STATEMENT_DATE` and, if it
changes, `ACCESSIBILITY_CONFORMITY` (the footer says it on every page).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _

# Settings the legal notice needs in production (README, "Legal notice and accessibility").
REQUIRED_SETTINGS = [
    "LEGAL_PUBLISHER_ADDRESS",
    "LEGAL_HOST_NAME",
    "LEGAL_HOST_ADDRESS",
    "LEGAL_HOST_PHONE",
]

RGAA_VERSION = "4.1.2"
# When the checks the statement describes were last run and read, by hand and by the tests.
ACCESSIBILITY_STATEMENT_DATE = dt.date(2026, 12, 4)
# RGAA's three states. "Non conforme" is the one RGAA prescribes while no audit of its
# criteria is in force, whatever the other checks found: the statement explains both.
CONFORMITY_LABELS = {
    "total": _("fully compliant"),
    "partial": _("partially compliant"),
    "none": _("not compliant"),
}
ACCESSIBILITY_CONFORMITY = "none"


@dataclass(frozen=True)
class LegalFacts:
    contact_email: str
    publisher_address: str
    publisher_phone: str
    director: str
    host_name: str
    host_address: str
    host_phone: str


def legal_facts() -> LegalFacts:
    """The facts of the legal notice, read from the settings."""
    return LegalFacts(
        contact_email=settings.CONTACT_EMAIL,
        publisher_address=settings.LEGAL_PUBLISHER_ADDRESS,
        publisher_phone=settings.LEGAL_PUBLISHER_PHONE,
        director=settings.LEGAL_DIRECTOR,
        host_name=settings.LEGAL_HOST_NAME,
        host_address=settings.LEGAL_HOST_ADDRESS,
        host_phone=settings.LEGAL_HOST_PHONE,
    )


@dataclass(frozen=True)
class AccessibilityFacts:
    conformity: str
    conformity_label: str
    rgaa_version: str
    date: dt.date
    contact_email: str


def accessibility_facts() -> AccessibilityFacts:
    return AccessibilityFacts(
        conformity=ACCESSIBILITY_CONFORMITY,
        conformity_label=CONFORMITY_LABELS[ACCESSIBILITY_CONFORMITY],
        rgaa_version=RGAA_VERSION,
        date=ACCESSIBILITY_STATEMENT_DATE,
        contact_email=settings.CONTACT_EMAIL,
    )


@checks.register("legal", deploy=True)
def check_legal_notice_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """In production, a legal notice that says "not stated yet" is a legal defect: say so."""
    return [
        checks.Warning(
            f"{name} is not set: the legal notice (/mentions-legales/) cannot state it.",
            hint="Set it in the environment or .env (see .env.example and the README).",
            id="iness.W001",
        )
        for name in REQUIRED_SETTINGS
        if not getattr(settings, name).strip()
    ]
