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


class AlreadySignedUp(Refused):
    """An organiser adds someone who already has an active sign-up for the day."""

    message = _("This person is already signed up for this day.")


class DayOver(Refused):
    """The day has ended: nobody can be added or marked present any more."""

    message = _("This day is over: nobody can be added or marked present any more.")


class NotPresent(Refused):
    """Only a confirmed attendee can be marked present (or not)."""

    message = _("Only people with a confirmed seat can be marked present.")


class NotAfterDay(Refused):
    """Certificates and feedback come after the day."""

    message = _("This is possible only once the day is over.")


class FeedbackRefused(Refused):
    """Feedback is given once, by someone who had a seat, after the day."""

    message = _("You can give your feedback once, after the day, if you had a seat.")


class HoldLapsed(Refused):
    """The address was not confirmed in time: the seat (or place) held for it has gone."""

    message = _(
        "This link was not opened in time, so the seat held for you has gone to someone else. "
        "You can sign up again."
    )
