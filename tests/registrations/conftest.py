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


def sign_up(event, **overrides):
    """Register a new person on `event` through the service; returns the outcome."""
    return services.register(event=event, data=person(**overrides))


def fill(event, count: int) -> list:
    return [sign_up(event).registration for _ in range(count)]


LINK = re.compile(r"https?://[^\s/]+/mon-inscription/([A-Za-z0-9_-]+)/")


def link_token(message) -> str:
    """The private-link token in an email."""
    return LINK.search(message.body).group(1)
