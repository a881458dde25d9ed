import datetime as dt

from django.utils import timezone

from iness.models import Event
from registrations.models import Registration
from tests.registrations.conftest import fill, person, sign_up  # noqa: F401


def make_today(event) -> Event:
    """Move `event` (and its sign-ups) to a day under way: today, from midnight to the last
    second, Paris time; sign-up closed yesterday."""
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        date=timezone.localdate(),
        starts_at=dt.time(0, 0),
        ends_at=dt.time(23, 59, 59),
        registration_opens_at=now - dt.timedelta(days=30),
        registration_closes_at=now - dt.timedelta(days=1),
        proposals_close_at=now - dt.timedelta(days=2),
    )
    event.refresh_from_db()
    return event


def make_past(event) -> Event:
    """Move `event` to yesterday: the day is over."""
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        date=timezone.localdate() - dt.timedelta(days=1),
        registration_opens_at=now - dt.timedelta(days=30),
        registration_closes_at=now - dt.timedelta(days=3),
        proposals_close_at=now - dt.timedelta(days=4),
    )
    event.refresh_from_db()
    return event


def mark_present(registration) -> Registration:
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=timezone.now())
    registration.refresh_from_db()
    return registration
