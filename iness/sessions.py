"""What a visitor's session may hold about a person: record numbers, never their details.

The result pages of the public forms (POST, redirect, GET) read what to say from the session.
`remember_result` keeps the result there as numbers and statuses only (the page reads the
person's details from the database), and notes which person it is about, so that erasing
that person deletes the session too (`forget_people`).
"""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

from .models import Person

# The people the session's results are about (primary keys).
PEOPLE_KEY = "iness.people"


def remember_result(request: HttpRequest, key: str, result: dict, *, person: Person) -> None:
    """Keep a form's `result` (numbers and statuses) for its result page, until the browser
    closes: the session serves that page alone."""
    request.session.set_expiry(0)
    request.session[key] = result
    people = set(request.session.get(PEOPLE_KEY, []))
    request.session[PEOPLE_KEY] = sorted(people | {person.pk})


def forget_people(person_pks: set[int]) -> int:
    """Delete every stored session that holds a result about one of these people; returns
    how many. Also deletes expired sessions, which nothing reads any more.

    Sessions are read from the database (the `db` and `cached_db` engines); with another
    engine there is no table to search, and nothing to do here.
    """
    if not person_pks or not _stored_in_database():
        return 0
    now = timezone.now()
    Session.objects.filter(expire_date__lte=now).delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    forgotten = 0
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if person_pks & set(session.get_decoded().get(PEOPLE_KEY, [])):
            # Through the store, so that a cached copy goes too.
            store(session_key=session.session_key).delete()
            forgotten += 1
    return forgotten


def clear_expired() -> None:
    if _stored_in_database():
        Session.objects.filter(expire_date__lte=timezone.now()).delete()


def _stored_in_database() -> bool:
    return settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }
