"""Where a person stands on the waiting list, and whether their seat offer is still open."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ..models import Registration

Status = Registration.Status


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person on the waiting list; None when not on it."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = (
        Registration.objects.waitlisted()
        .filter(event_id=registration.event_id)
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


def offer_is_open(registration: Registration, *, now: dt.datetime | None = None) -> bool:
    """Whether the person can still accept or give up a seat offer. An offer whose deadline
    has passed is closed, even before the lapse is recorded (by the next sign-up,
    cancellation or the cron command)."""
    return registration.status == Status.OFFERED and registration.offer_expires_at > (
        now or timezone.now()
    )
