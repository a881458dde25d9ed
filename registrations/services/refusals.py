"""What the sign-up rules refuse: each a `Refused` (iness.exceptions) with its message."""

from django.utils.translation import gettext_lazy as _

from iness.exceptions import Refused

# Reasons sign-up is closed, as RegistrationClosed.reason and closed_reason() give them.
NOT_PUBLISHED = "not_published"
NOT_OPEN_YET = "not_open_yet"
CLOSED = "closed"
STARTED = "started"


class RegistrationClosed(Refused):
    """Sign-up is closed for this event (not open yet, closed, started, unpublished); the
    pages tell which from `reason`."""

    message = _("Sign-up is closed for this day.")

    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason


class CapacityError(Refused):
    """A capacity that would break the cap or the database constraint."""

    message = _("The number of seats must be at least 1.")


class NoSeatAvailable(Refused):
    """Every seat is confirmed or held for someone: nobody more can be confirmed."""

    message = _("Every seat is taken or held for someone.")


class NotOnWaitingList(Refused):
    message = _("Only people on the waiting list can be confirmed.")


class OfferNotOpen(Refused):
    """The registration has no seat offer to answer (never had one, answered, or lapsed)."""

    message = _("This seat offer is no longer open.")

    def __init__(self, registration):
        super().__init__()
        self.registration = registration


class HoldLapsed(Refused):
    """The address was not confirmed in time: the seat (or place) held for it has gone."""

    message = _(
        "This link was not opened in time, so the seat held for you has gone to someone else. "
        "You can sign up again."
    )
