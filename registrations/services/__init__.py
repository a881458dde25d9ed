"""Sign-up rules, by concern; callers import this package (`from registrations import
services`) and use the names below.

- `seats`: the hard cap, held seats until the address is confirmed, the waiting list, offers
  of freed seats, the capacity;
- `deadlines`: the deadlines of held seats and offers, counted from the mail's delivery;
- `states`: the one way a registration's status changes (and the seat count with it);
- `waitlist`: positions on the waiting list, open offers;
- `details`: the attendee corrects their details (a new address verified first);
- `links`: private links (find by token, send a new one, "lost your link?");
- `reminders`: the reminder before the day;
- `erasure`: the person's sign-ups when their data is erased (iness.erasure);
- `mails`: the mails to the person and the organisers' notices;
- `organisers`: sign-ups that organisers add (guests, walk-ins), through the same count;
- `day`: presence on the day, attendance certificates, feedback;
- `refusals`: what the rules refuse, each a `Refused` with its message.
"""

from .day import (
    FeedbackData,
    attendance,
    certificate_available,
    certificates_due,
    check_in,
    feedback_given,
    feedback_open,
    feedback_summary,
    give_feedback,
    release_certificates,
    undo_check_in,
)
from .deadlines import hold_mail
from .details import Corrected, DetailsData, DetailsLocked, can_correct, correct_details
from .erasure import RECORDS
from .links import find_by_token, resend_link, send_link, send_lost_links
from .mails import manage_url
from .organisers import add_by_organiser
from .refusals import (
    CLOSED,
    NOT_OPEN_YET,
    NOT_PUBLISHED,
    STARTED,
    AlreadySignedUp,
    CapacityError,
    DayOver,
    FeedbackRefused,
    HoldLapsed,
    NoSeatAvailable,
    NotAfterDay,
    NotOnWaitingList,
    NotPresent,
    OfferNotOpen,
    RegistrationClosed,
)
from .reminders import send_reminders
from .seats import (
    OFFER_DEADLINE,
    RegistrationData,
    RegistrationOutcome,
    accept_offer,
    cancel,
    check_capacity,
    closed_reason,
    decline_offer,
    expire_offers,
    promote,
    register,
    seats_held,
    seats_left,
    set_capacity,
    verify,
)
from .states import set_status
from .waitlist import offer_is_open, waitlist_position

__all__ = [
    "AlreadySignedUp",
    "DayOver",
    "FeedbackData",
    "FeedbackRefused",
    "NotAfterDay",
    "NotPresent",
    "add_by_organiser",
    "attendance",
    "certificate_available",
    "certificates_due",
    "check_in",
    "feedback_given",
    "feedback_open",
    "feedback_summary",
    "give_feedback",
    "release_certificates",
    "undo_check_in",
    "CLOSED",
    "NOT_OPEN_YET",
    "NOT_PUBLISHED",
    "OFFER_DEADLINE",
    "RECORDS",
    "STARTED",
    "CapacityError",
    "Corrected",
    "DetailsData",
    "DetailsLocked",
    "HoldLapsed",
    "NoSeatAvailable",
    "NotOnWaitingList",
    "OfferNotOpen",
    "RegistrationClosed",
    "RegistrationData",
    "RegistrationOutcome",
    "accept_offer",
    "can_correct",
    "cancel",
    "check_capacity",
    "closed_reason",
    "correct_details",
    "decline_offer",
    "expire_offers",
    "find_by_token",
    "hold_mail",
    "manage_url",
    "offer_is_open",
    "promote",
    "register",
    "resend_link",
    "seats_held",
    "seats_left",
    "send_link",
    "send_lost_links",
    "send_reminders",
    "set_capacity",
    "set_status",
    "verify",
    "waitlist_position",
]
