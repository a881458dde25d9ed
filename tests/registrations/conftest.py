import itertools
import re

from registrations import services
from registrations.services import RegistrationData

_numbers = itertools.count(1)


def person(**overrides) -> RegistrationData:
    """Sign-up data for a new person each call; keyword arguments change any field."""
    n = next(_numbers)
    fields = {
        "first_name": f"Ada{n}",
        "last_name": "Lovelace",
        "email": f"ada{n}@example.org",
        "organisation": "Coopérative numérique",
        "profile": "practitioner",
        "organisation_kind": "ess",
        "language": "en",
    }
    fields.update(overrides)
    return RegistrationData(**fields)


def sign_up(event, *, verified: bool = True, **overrides):
    """Register a new person on `event` through the service; returns the outcome.

    By default with the address confirmed at once (as organisers add people), so that tests
    of the seat rules read as before; `verified=False` is the public form's path: the seat
    or place is held until the person confirms (`services.verify`)."""
    return services.register(event=event, data=person(**overrides), verified=verified)


def fill(event, count: int) -> list:
    return [sign_up(event).registration for _ in range(count)]


LINK = re.compile(r"https?://[^\s/]+/mon-inscription/([A-Za-z0-9_-]+)/")


def link_token(message) -> str:
    """The private-link token in an email."""
    return LINK.search(message.body).group(1)


def mail_went(registration) -> None:
    """Mark the mails that start `registration`'s deadlines as sent, without sending them:
    until then its offer or hold cannot lapse (registrations' deadlines)."""
    from django.utils import timezone

    from iness.models import OutgoingMail

    OutgoingMail.objects.filter(
        hook="registrations.deadline", hook_args__deadline__registration=registration.pk
    ).update(status=OutgoingMail.Status.SENT, sent_at=timezone.now())
