"""Deadlines that count from when the person can read them.

Two deadlines hold a seat (or a place) for someone who must act through a mailed link: a
public sign-up's, to confirm the address (`VERIFY`, `Event.verify_minutes`), and a seat
offer's, to accept it (`OFFER`, `Event.offer_hours`). Both are set when the hold starts, so
that the pages can say a time at once, and both start again from the moment the mail server
accepted the mail that carries the link (the send hook's `accepted`): a mail that waited in
the outbox, however long, never shortens the time the person has. They only ever move later.

Meanwhile the hold cannot lapse: `Registration.objects.offers_lapsed` and `holds_lapsed`
skip a registration whose deadline mail is still queued or being sent. A mail that fails for
good (the address refused) leaves the deadline as it was set, and the hold lapses then.

Neither deadline runs past the start of the day.
"""

import datetime as dt

from django.utils import timezone, translation

from iness import dates, links, mail
from iness.models import Event, OutgoingMail

from ..models import DEADLINE_HOOK, Registration

Status = Registration.Status

VERIFY = "verify"
OFFER = "offer"

# The placeholders a deadline mail's text holds (iness.mail.placeholder).
DATE = "deadline-date"
TIME = "deadline-time"


def hold_deadline(event: Event, *, start: dt.datetime) -> dt.datetime:
    """Until when a hold that starts at `start` waits for the address to be confirmed."""
    return min(start + dt.timedelta(minutes=event.verify_minutes), event.start)


def offer_deadline(event: Event, *, start: dt.datetime) -> dt.datetime:
    """Until when an offer made at `start` waits for an answer."""
    return min(start + dt.timedelta(hours=event.offer_hours), event.start)


def hook_args(registration: Registration, kind: str, *, starts: bool, language: str) -> dict:
    """The `deadline` part of a deadline mail's `hook_args`. `starts`: the mail that starts
    the clock (the first one); a mail sent again later only says where the deadline stands."""
    return {
        "registration": registration.pk,
        "kind": kind,
        "starts": starts,
        "language": language,
    }


def placeholders() -> dict:
    """What the mail's template receives as `deadline_date` and `deadline_time`."""
    return {"deadline_date": mail.placeholder(DATE), "deadline_time": mail.placeholder(TIME)}


_FIELD = {VERIFY: "verify_by", OFFER: "offer_expires_at"}


def _holding(kind: str):
    if kind == OFFER:
        return Registration.objects.filter(status=Status.OFFERED)
    return Registration.objects.filter(
        status__in=[Status.HELD, Status.WAITLISTED], verify_by__isnull=False
    )


def _deadline(kind: str, event: Event, *, start: dt.datetime) -> dt.datetime:
    return (offer_deadline if kind == OFFER else hold_deadline)(event, start=start)


def _prepare(outgoing: OutgoingMail) -> dict[str, str]:
    values = links.fill_links(outgoing)
    spec = outgoing.hook_args["deadline"]
    kind = spec["kind"]
    registration = (
        Registration.objects.select_related("event").filter(pk=spec["registration"]).first()
    )
    if registration is None:
        return values | {DATE: "", TIME: ""}
    moment = getattr(registration, _FIELD[kind])
    if spec["starts"] or moment is None:
        # Sent now, accepted a moment later: the deadline the mail states is never later
        # than the one `_accepted` records.
        fresh = _deadline(kind, registration.event, start=timezone.now())
        moment = max(moment, fresh) if moment else fresh
    with translation.override(spec["language"]):
        return values | {DATE: dates.format_date(moment), TIME: dates.format_time(moment)}


def _accepted(outgoing: OutgoingMail) -> None:
    spec = outgoing.hook_args["deadline"]
    if not spec["starts"]:
        return
    kind = spec["kind"]
    registration = _holding(kind).filter(pk=spec["registration"]).first()
    if registration is None:
        return
    # Under the event's lock, as every change of a hold: a sweep that is lapsing holds waits.
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = _holding(kind).filter(pk=registration.pk).first()
    if registration is None:
        return
    field = _FIELD[kind]
    moment = _deadline(kind, event, start=outgoing.sent_at)
    if moment > getattr(registration, field):
        Registration.objects.filter(pk=registration.pk).update(**{field: moment})


def hold_mail(registration: Registration, *, language: str) -> tuple[str, dict, dict]:
    """For another app's mail that asks the person to confirm this held sign-up (a proposal's
    "received" mail, whose link confirms the speaker's address): the send hook's name, the
    `deadline` part of its `hook_args`, and the template's `deadline_date` and `deadline_time`.
    The mail starts the hold's clock when its server accepts it."""
    return (
        DEADLINE_HOOK,
        hook_args(registration, VERIFY, starts=True, language=language),
        placeholders(),
    )


mail.register_hook(DEADLINE_HOOK, mail.SendHook(prepare=_prepare, accepted=_accepted))
