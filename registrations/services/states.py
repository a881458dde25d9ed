"""The one way a sign-up's status changes, and the seat count that goes with it.

    new ──> held ──> confirmed (the address confirmed through the mailed link)
     │       ├─────> lapsed (not confirmed in time: the seat is free again)
     │       └─────> cancelled
     ├───> confirmed ─────────────────────> cancelled
     └───> waitlisted ──> offered ──> confirmed
                │            ├──────> cancelled (declined)
                │            └──────> expired (lapsed)
                ├──────────────────────> confirmed (an organiser, or its address confirmed
                │                                   while a seat is free)
                ├──────────────────────> lapsed (address not confirmed in time)
                └──────────────────────> cancelled

A public sign-up starts `held` (or `waitlisted` with `verify_by` set) until its address is
confirmed; an organiser's starts `confirmed` or `waitlisted` at once.

`set_status` is the only code that changes a registration's status (through `iness.states`,
which records the history). It also keeps `Event.seats_held` (held + confirmed + offered), by an
UPDATE the database checks against the capacity: callers hold the event lock
(`seats._event_lock`) and count before they change anything, and a path that forgets the lock
gets an IntegrityError instead of a seat too many.
"""

from django.db import transaction
from django.db.models import F

from iness import states
from iness.history import Actor
from iness.models import Event

from ..models import Registration

Status = Registration.Status

TRANSITIONS: states.Transitions = {
    states.NEW: {Status.HELD, Status.CONFIRMED, Status.WAITLISTED},
    Status.HELD: {Status.CONFIRMED, Status.LAPSED, Status.CANCELLED},
    Status.WAITLISTED: {Status.OFFERED, Status.CONFIRMED, Status.CANCELLED, Status.LAPSED},
    Status.OFFERED: {Status.CONFIRMED, Status.CANCELLED, Status.EXPIRED},
    Status.CONFIRMED: {Status.CANCELLED},
    Status.CANCELLED: set(),
    Status.EXPIRED: set(),
    Status.LAPSED: set(),
}


def set_status(
    registration: Registration,
    status: str,
    *,
    by: Actor,
    event: Event | None = None,
    **values,
) -> None:
    """Move `registration` (or create it, when new) to `status`, with `values` (other
    fields); keep its event's seat count. `event`: the caller's locked copy of the event,
    whose `seats_held` is kept up to date too."""
    previous = states.NEW if registration._state.adding else registration.status
    change = (status in Registration.SEAT_STATUSES) - (previous in Registration.SEAT_STATUSES)
    # The caller's transaction (the event lock) covers this; alone, it gets one of its own,
    # so that the count and the row are written together or not at all.
    with transaction.atomic(savepoint=False):
        # The count first: when it would pass the capacity, nothing else is written.
        if change:
            Event.objects.filter(pk=registration.event_id).update(
                seats_held=F("seats_held") + change
            )
        states.change(registration, status, transitions=TRANSITIONS, by=by, values=values)
    if change and event is not None:
        event.seats_held += change
