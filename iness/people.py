"""The people the site holds data about: finding them by address, and recording a new one.

Every record that names a person (a sign-up, a proposal, later a panellist) gets its `Person`
from `person_for`, so an address is one person whatever its letter case or look-alikes (the
email key, iness.identity), and what a person gave once is never overwritten by whoever types
their address next.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
                # Someone named by another person (a panellist) has consented to nothing
                # yet: `privacy_notice_version` is then empty.
                consent_at=now if data.privacy_notice_version else None,
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


# A new address, verified before it replaces the old one. --------------------------------------
#
# The link mailed to the new address carries its own proof (django.core.signing: the person,
# the new address and the key of the address it replaces, with the time it was made), so no
# pending change is stored. It works once: confirming changes the person's key, and a link
# made for the old key no longer matches. It lapses after ADDRESS_CHANGE_HOURS.

ADDRESS_CHANGE_SALT = "iness.people.address-change"
ADDRESS_CHANGE_HOURS = 48


class AddressChangeRefused(Refused):
    message = _(
        "This link to confirm a new address no longer works: it has been used, it is more "
        "than 48 hours old, or the address was changed since. Ask for the change again from "
        "your private page."
    )


class AddressTaken(Refused):
    message = _(
        "Another person already uses this address (or one that reaches the same mailbox), so "
        "it cannot become yours here. If it is yours, write to the organisers."
    )


@dataclass(frozen=True)
class AddressChange:
    person: Person
    new_email: str


@sensitive_variables("new_email", "token")
def request_address_change(*, person: Person, new_email: str, event=None) -> str:
    """Mail the new address a link to confirm it; the address changes only when that link
    is opened and confirmed (`confirm_address_change`). Returns the mail's kind.

    Queued through iness.mail in the caller's transaction, filed under the person (erasing
    them erases it) and under `event`, the day the change was asked from (its retention).
    """
    from django.urls import reverse

    from .mail import queue_mail

    try:
        email_key(new_email)
    except ValidationError as refusal:
        raise AddressRefused() from refusal
    token = signing.TimestampSigner(salt=ADDRESS_CHANGE_SALT).sign_object(
        {"p": person.pk, "e": new_email.strip(), "k": person.email_key}, compress=True
    )
    link = settings.SITE_URL + reverse("address_change", args=[token])
    queue_mail(
        to=new_email.strip(),
        template="iness/address_change",
        context={
            "person": person,
            "event": event,
            "link": link,
            "new_email": new_email.strip(),
            "hours": ADDRESS_CHANGE_HOURS,
        },
        language=person.language,
        person=person,
    )
    return "iness/address_change"


@sensitive_variables("token")
def read_address_change(token: str) -> AddressChange:
    """What a confirmation link asks, or `AddressChangeRefused`."""
    try:
        payload = signing.TimestampSigner(salt=ADDRESS_CHANGE_SALT).unsign_object(
            token, max_age=dt.timedelta(hours=ADDRESS_CHANGE_HOURS)
        )
        pk, new_email, old_key = payload["p"], payload["e"], payload["k"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise AddressChangeRefused() from None
    person = Person.objects.filter(pk=pk, email_key=old_key).first()
    if person is None or person.anonymised_at is not None:
        raise AddressChangeRefused()
    return AddressChange(person=person, new_email=new_email)


@sensitive_variables("token")
def confirm_address_change(token: str) -> AddressChange:
    """Replace the person's address by the one the link was sent to (a POST from the page
    the link opens, never the GET: mail scanners open links). Refused when the link no
    longer works, or when the new address is another person's."""
    change = read_address_change(token)
    try:
        with transaction.atomic():
            person = Person.objects.select_for_update().get(pk=change.person.pk)
            if person.email_key != change.person.email_key:
                raise AddressChangeRefused()
            new_key = email_key(change.new_email)
            if Person.objects.filter(email_key=new_key).exclude(pk=person.pk).exists():
                raise AddressTaken()
            person.email = change.new_email
            person.save(update_fields=["email", "updated_at"])
    except IntegrityError:
        # The same address became someone else's at the same moment.
        raise AddressTaken() from None
    except ValidationError:
        raise AddressRefused() from None
    return AddressChange(person=person, new_email=change.new_email)
