"""The people the site holds data about: finding them by address, and recording a new one.

Every record that names a person (a sign-up, a proposal, later a panellist) gets its `Person`
from `person_for`, so an address is one person whatever its letter case or look-alikes (the
email key, iness.identity), and what a person gave once is never overwritten by whoever types
their address next.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from .exceptions import Refused
from .identity import email_key
from .models import Person
from .privacy import PRIVACY_NOTICE_VERSION


class AddressRefused(Refused):
    """An address the email-key rules refuse reached a service (forms refuse it first)."""

    message = _("This email address cannot be used: please type it again by hand.")


@dataclass(frozen=True)
class PersonData:
    """Who someone says they are, as a public form collects it with consent to the notice."""

    first_name: str
    last_name: str
    email: str
    language: str = settings.LANGUAGE_CODE
    wants_news: bool = False
    privacy_notice_version: str = PRIVACY_NOTICE_VERSION

    @classmethod
    def of(cls, data) -> "PersonData":
        """The person fields of a form's data (a sign-up's, a proposal's)."""
        return cls(
            first_name=data.first_name,
            last_name=data.last_name,
            email=data.email,
            language=data.language,
            wants_news=data.wants_news,
            privacy_notice_version=getattr(data, "privacy_notice_version", PRIVACY_NOTICE_VERSION),
        )


def supported_language(code: str | None) -> str:
    """One of the site's languages ("en-gb" gives "en"); French for anything else."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


@sensitive_variables("email")
def find_person(email: str) -> Person | None:
    """The person `email` reaches (by its key), or None; None too for a refused address."""
    try:
        key = email_key(email)
    except ValidationError:
        return None
    return Person.objects.filter(email_key=key).first()


@sensitive_variables("data")
def person_for(data: PersonData, *, now: dt.datetime) -> Person:
    """The person `data.email` reaches, recorded from `data` if the address is new; its row
    is locked until the caller's transaction ends.

    A known person keeps their name, address and language: a form that anyone can fill in
    with anyone's address must not rename someone or move their mail (they correct their
    details through their private link). Call `add_consent` once the form's record exists.

    Callers that lock an event lock it after this: the person's row first, then the event
    (`iness.erasure` takes them in the same order, so neither waits for the other forever).
    """
    try:
        key = email_key(data.email)
    except ValidationError as refusal:
        raise AddressRefused() from refusal
    locked = Person.objects.select_for_update().filter(email_key=key)
    person = locked.first()
    if person is not None:
        return person
    # Written straight away with the key (past Person.save, which would derive the same
    # one): when the same new address is sent twice at once, the second insert does nothing
    # and both requests then read the one person.
    Person.objects.bulk_create(
        [
            Person(
                email=data.email.strip(),
                email_key=key,
                first_name=data.first_name.strip(),
                last_name=data.last_name.strip(),
                language=supported_language(data.language),
                consent_at=now,
                privacy_notice_version=data.privacy_notice_version,
                wants_news=data.wants_news,
                created_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    return locked.get()


def add_consent(person: Person, data: PersonData, *, now: dt.datetime) -> None:
    """A known person gave a new record, with consent to the notice: keep when, to which
    version, and a wish for news if they ticked it (a box left unticked withdraws nothing)."""
    wants_news = person.wants_news or data.wants_news
    if (person.consent_at, person.privacy_notice_version, person.wants_news) == (
        now,
        data.privacy_notice_version,
        wants_news,
    ):
        return  # a new person, made from this very form
    person.consent_at = now
    person.privacy_notice_version = data.privacy_notice_version
    person.wants_news = wants_news
    person.save(update_fields=["consent_at", "privacy_notice_version", "wants_news", "updated_at"])
