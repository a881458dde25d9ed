import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from iness.models import Event


@pytest.fixture(autouse=True)
def _site_defaults(settings):
    # Tests read pages in English unless they ask for French, and talk to no mail server.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://testserver"
    # Pages keep rendered fragments in the cache (the empty sign-up form): none from another test.
    cache.clear()


def build_event(**overrides) -> Event:
    """An open, published event a month ahead; keyword arguments change any field."""
    now = timezone.now()
    day = timezone.localdate() + dt.timedelta(days=30)
    fields = {
        "slug": "journee-test",
        "title": "Journée test",
        "title_en": "Test day",
        "description": "Une journée d'échanges.",
        "description_en": "A day of exchanges.",
        "date": day,
        "starts_at": dt.time(9, 30),
        "ends_at": dt.time(17, 30),
        "venue": "Institut Mines-Télécom",
        "address": "2, Villa Thoréton, 75015 Paris",
        "access": "Métro Balard (ligne 8)",
        "capacity": 20,
        "registration_opens_at": now - dt.timedelta(days=1),
        "registration_closes_at": now + dt.timedelta(days=20),
        "proposals_close_at": now + dt.timedelta(days=10),
        "contact_email": "iness@listes.imt.fr",
        "committee": "Alice Martin\nBruno Petit",
        "is_published": True,
    }
    fields.update(overrides)
    return Event.objects.create(**fields)


@pytest.fixture
def make_event(db):
    return build_event


@pytest.fixture
def event(make_event):
    return make_event()
