import contextlib
import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from iness.models import Event


@pytest.fixture(autouse=True)
def _site_defaults(settings):
    # Tests read pages in English unless they ask for French, and talk to no mail server.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://testserver"
    # Pages keep rendered fragments (the empty sign-up form): none from another test.
    caches["fragments"].clear()
    # Tests post far more than a person would: rate limits are on only where the
    # `rate_limits` fixture asks for them.
    settings.RATELIMIT_ENABLE = False
    # django-axes refuses Client.login() (it needs the request); tests sign in with
    # force_login / admin_client, and the `admin_login_throttling` fixture turns it on.
    settings.AXES_ENABLED = False


def deliver_mail() -> None:
    """What the mail worker does (`iness.sending.send_due`), until nothing is left to send."""
    from iness.sending import send_due

    while True:
        result = send_due()
        if result.paused or not result.busy:
            return


@pytest.fixture
def delivered(mailoutbox):
    """`with delivered(): ...` runs the block, then the mail worker's pass over what the block
    recorded: those messages are then in `mailoutbox`. Pages and services only record mail;
    mail recorded before the block (by a test's setting up) is left waiting, so that a test
    reads only the messages of the change it makes."""

    @contextlib.contextmanager
    def run():
        from iness.models import OutgoingMail

        waiting = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED)
        earlier = dict(waiting.values_list("pk", "next_attempt_at"))
        yield
        waiting.filter(pk__in=earlier).update(
            next_attempt_at=timezone.now() + dt.timedelta(days=9999)
        )
        try:
            deliver_mail()
        finally:
            for pk, moment in earlier.items():
                waiting.filter(pk=pk).update(next_attempt_at=moment)

    return run


@pytest.fixture
def rate_limits(settings, db):
    """Rate limits on, counters empty (they live in the database cache)."""
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_login_throttling(settings):
    """django-axes on, as in production."""
    settings.AXES_ENABLED = True


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
