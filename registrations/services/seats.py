"""The seat rules: the hard cap, the waiting list, offers of freed seats, the capacity.

Every change that uses up or frees a seat runs under one lock, taken on the event row
(`_event_lock`): on PostgreSQL `SELECT ... FOR UPDATE`, on SQLite the IMMEDIATE transaction
that the settings ask for, which takes the database's write lock before anything is read.
Seats held are `held` (until the address is confirmed) + `confirmed` + `offered`, counted in `Event.seats_held` by the one state setter
(`states.set_status`); they never exceed `Event.capacity`, which the database checks too.

A person's row is locked before the event's (iness.people.person_for), in the order erasure
takes them.
"""

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iness import links, people
from iness.history import PUBLIC, Actor
from iness.models import Event
from iness.privacy import PRIVACY_NOTICE_VERSION

from ..models import Registration
from . import deadlines, mails
from .links import send_link
from .refusals import (
    CLOSED,
    NOT_OPEN_YET,
    NOT_PUBLISHED,
    STARTED,
    CapacityError,
    HoldLapsed,
    NoSeatAvailable,
    NotOnWaitingList,
    OfferNotOpen,
    RegistrationClosed,
)
from .states import set_status
from .waitlist import waitlist_position

Status = Registration.Status

# Who lets an offer lapse when nobody acted: the clock.
OFFER_DEADLINE = "offer deadline passed"


@dataclass(frozen=True)
class RegistrationData:
    """What a person gives when signing up.

    Callers must have collected consent to the privacy notice (both the sign-up form and the
    proposal form have the box); `privacy_notice_version` is the version they were shown.
    """

    first_name: str
    last_name: str
    email: str
    organisation: str
    profile: str  # iness.models.Profile value
    organisation_kind: str  # registrations.models.OrganisationKind value
    interests: str = ""
    needs: str = ""
    language: str = "fr"
    wants_news: bool = False
    privacy_notice_version: str = PRIVACY_NOTICE_VERSION

    def person_data(self) -> people.PersonData:
        return people.PersonData.of(self)


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    # False: the person already had an active registration for the event; nothing changed,
    # its link was emailed again (to the person's address, never to the one just typed).
    created: bool
    # Waiting-list position (1-based) when waitlisted, else None.
    position: int | None
    # What the page says: confirm before this moment. The same for a new and a known address.
    until: dt.datetime | None = None


def closed_reason(event: Event, *, now: dt.datetime | None = None) -> str | None:
    """Why sign-up is closed for `event` right now, or None when it is open."""
    now = now or timezone.now()
    if not event.is_published:
        return NOT_PUBLISHED
    if now >= event.start:
        return STARTED
    if now < event.registration_opens_at:
        return NOT_OPEN_YET
    if now >= event.registration_closes_at:
        return CLOSED
    return None


def _between_count_and_insert() -> None:
    """Test hook: does nothing. The concurrency tests replace it with a pause to widen the
    window between counting the seats and writing the registration."""


@contextlib.contextmanager
def _event_lock(event: Event):
    """One transaction holding the event's lock; yields the event as it is now.

    Lock before counting: two transactions that both counted before either wrote would both
    take the last seat (and the database would refuse the second: Event.seats_held).
    """
    with transaction.atomic():
        yield Event.objects.select_for_update().get(pk=event.pk)


def register(
    *,
    event: Event,
    data: RegistrationData,
    by: Actor = PUBLIC,
    verified: bool = False,
    mail_person: bool = True,
) -> RegistrationOutcome:
    """Hold a seat while seats remain, otherwise a place on the waiting list; mail the person.

    A public sign-up (`verified=False`) holds its seat or place until the person confirms
    their address through the mailed link (`verify`), for the event's `verify_minutes`
    counted from when that mail reached their mail server (deadlines); unconfirmed, it lapses
    and the seat goes back. `verified=True` (organisers adding someone) confirms at once.
    `mail_person=False`: the caller mails the person the way to confirm (a proposal's link).

    The same person (the same email key: any letter case, no look-alike) with an active
    registration for the event gets no second one: nothing changes, and a mail tells them
    where they stand (a new link), at their own address. The outcome's `until` is the same
    for both, so that the page answers alike. Raises RegistrationClosed when sign-up is not
    open, AddressRefused for an address the rules refuse.
    """
    consented_at = timezone.now()
    with transaction.atomic():
        person = people.person_for(data.person_data(), now=consented_at)
        with _event_lock(event) as event:
            # Read the clock under the lock: the waiting list is served in created_at order,
            # which must be the order in which people got their position.
            now = timezone.now()
            reason = closed_reason(event, now=now)
            if reason:
                raise RegistrationClosed(reason)
            _settle_seats(event, now=now, by=OFFER_DEADLINE)
            until = deadlines.hold_deadline(event, start=now)
            existing = Registration.objects.active().filter(event=event, person=person).first()
            if existing:
                existing.event, existing.person = event, person
                send_link(existing, template="registrations/link_again", language=data.language)
                return RegistrationOutcome(
                    registration=existing,
                    created=False,
                    position=waitlist_position(existing),
                    until=until,
                )
            held = event.seats_held
            _between_count_and_insert()
            registration = Registration(
                event=event,
                person=person,
                organisation=data.organisation.strip(),
                profile=data.profile,
                organisation_kind=data.organisation_kind,
                interests=data.interests.strip(),
                needs=data.needs.strip(),
                created_at=now,
                verify_by=None if verified else until,
            )
            # A hash nobody has the token of: the first link is minted when a mail carries it.
            links.mint(registration)
            seat = held < event.capacity
            if seat:
                status = Status.CONFIRMED if verified else Status.HELD
            else:
                status = Status.WAITLISTED
            set_status(registration, status, by=by, event=event)
            people.add_consent(person, data.person_data(), now=consented_at)
            position = waitlist_position(registration)
            if not verified:
                if mail_person:
                    mails.ask_to_confirm(registration, starts_clock=True, position=position)
            elif seat:
                mails.send(
                    registration, "registrations/confirmed", link=mails.MANAGE, calendar=True
                )
                mails.notify_organisers(registration, "registrations/organisers_signup")
            else:
                mails.send(
                    registration, "registrations/waitlisted", link=mails.MANAGE, position=position
                )
                mails.notify_organisers(
                    registration, "registrations/organisers_signup", position=position
                )
    return RegistrationOutcome(
        registration=registration, created=True, position=position, until=until
    )


def verify(*, registration: Registration, by: Actor = PUBLIC, link: bool = False) -> None:
    """The person confirmed their address (the POST of the mailed link's page): a held seat
    is confirmed, with the confirmation mail and its calendar file; a place on the waiting
    list becomes one that seats are offered to, or a seat at once when one is free.

    Confirming twice changes nothing. Raises HoldLapsed when the hold has lapsed (the seat
    went back). `link`: the confirmation carries the sign-up's private link (a speaker who
    confirmed through their proposal's link has none yet); otherwise the person keeps the
    link they used, which a new one would replace under their feet.
    """
    with _event_lock(registration.event) as event:
        now = timezone.now()
        _settle_seats(event, now=now, by=OFFER_DEADLINE)
        registration.refresh_from_db()
        lapsed = registration.status == Status.LAPSED
        to_confirm = not registration.is_verified and registration.status in (
            Status.HELD,
            Status.WAITLISTED,
        )
        if to_confirm:
            registration.event = event
            _confirm_address(registration, event, now=now, by=by, link=link)
    # Raised once the lock's transaction has committed the lapse it may just have recorded.
    if lapsed:
        raise HoldLapsed()


def _confirm_address(
    registration: Registration, event: Event, *, now: dt.datetime, by: Actor, link: bool
) -> None:
    """`verify`, under the event lock, for a registration whose address waits."""
    seat = registration.status == Status.HELD
    if not seat:
        Registration.objects.filter(pk=registration.pk).update(verify_by=None)
        registration.verify_by = None
        # Free seats wait only for people whose address is unconfirmed (_settle_seats
        # offers them to everyone else at once): this person can take one now.
        seat = now < event.start and event.seats_held < event.capacity
    if seat:
        set_status(registration, Status.CONFIRMED, by=by, event=event, verify_by=None)
        mails.send(
            registration,
            "registrations/confirmed",
            link=mails.MANAGE if link else None,
            calendar=True,
            verified=True,
        )
        mails.notify_organisers(registration, "registrations/organisers_signup")
    else:
        position = waitlist_position(registration)
        mails.notify_organisers(registration, "registrations/organisers_signup", position=position)


def cancel(*, registration: Registration, by: Actor, notify: bool = True) -> None:
    """Cancel a registration (by the person or an organiser); a freed seat is offered onward.

    Cancelling what is already cancelled or lapsed changes nothing. `notify=False` mails
    neither the person nor the organisers (erasure does, as the person's data goes).
    """
    with _event_lock(registration.event) as event:
        now = timezone.now()
        _settle_seats(event, now=now, by=OFFER_DEADLINE)
        registration.refresh_from_db()
        cancel_locked(registration, event, now=now, by=by, notify=notify)


def cancel_locked(
    registration: Registration, event: Event, *, now: dt.datetime, by: Actor, notify: bool
) -> None:
    """`cancel`, for a caller that holds the event lock and has just read `registration`."""
    if not registration.is_active:
        return
    # The mails say who cancelled, and whether a seat was freed.
    told = _who_cancelled(by) | {"had_seat": registration.status != Status.WAITLISTED}
    # Only a confirmed seat was sent the day's calendar file: its entry is taken out again.
    in_calendar = registration.status == Status.CONFIRMED
    set_status(registration, Status.CANCELLED, by=by, event=event, offer_expires_at=None)
    if notify:
        mails.send(registration, "registrations/cancelled", cancel_calendar=in_calendar, **told)
        mails.notify_organisers(registration, "registrations/organisers_cancelled", **told)
    _settle_seats(event, now=now, by=by)


def accept_offer(*, registration: Registration, by: Actor) -> None:
    """Take the seat held for this person. Raises OfferNotOpen when there is no open offer
    (answered already, or lapsed: then the seat has gone to the next person)."""
    with _event_lock(registration.event) as event:
        now = timezone.now()
        _settle_seats(event, now=now, by=OFFER_DEADLINE)
        registration.refresh_from_db()
        accepted = registration.status == Status.OFFERED
        if accepted:
            set_status(registration, Status.CONFIRMED, by=by, event=event, offer_expires_at=None)
            mails.send(registration, "registrations/offer_accepted", calendar=True)
    if not accepted:
        raise OfferNotOpen(registration)


def decline_offer(*, registration: Registration, by: Actor) -> None:
    """Give up the seat held for this person (and the place on the waiting list); the seat
    goes to the next person. Raises OfferNotOpen when there is no open offer."""
    with _event_lock(registration.event) as event:
        now = timezone.now()
        _settle_seats(event, now=now, by=OFFER_DEADLINE)
        registration.refresh_from_db()
        declined = registration.status == Status.OFFERED
        if declined:
            told = _who_cancelled(by) | {"declined": True, "had_seat": True}
            set_status(registration, Status.CANCELLED, by=by, event=event, offer_expires_at=None)
            mails.send(registration, "registrations/cancelled", **told)
            mails.notify_organisers(registration, "registrations/organisers_cancelled", **told)
            _settle_seats(event, now=now, by=by)
    if not declined:
        raise OfferNotOpen(registration)


def promote(*, registration: Registration, by: Actor) -> None:
    """Confirm a waitlisted or offered person at once (an organiser's decision).

    A waitlisted person can be confirmed only into a free seat: raises NoSeatAvailable when
    every seat is confirmed or held for someone else, NotOnWaitingList for anyone else.
    """
    with _event_lock(registration.event) as event:
        _settle_seats(event, now=timezone.now(), by=OFFER_DEADLINE)
        registration.refresh_from_db()
        if registration.status == Status.WAITLISTED:
            if event.seats_held >= event.capacity:
                raise NoSeatAvailable(
                    ngettext(
                        "Every seat is taken or held for someone (%(capacity)s seat in all): "
                        "raise the capacity first, or wait for a cancellation.",
                        "Every seat is taken or held for someone (%(capacity)s seats in all): "
                        "raise the capacity first, or wait for a cancellation.",
                        event.capacity,
                    )
                    % {"capacity": event.capacity}
                )
        elif registration.status not in (Status.OFFERED, Status.HELD):
            raise NotOnWaitingList()
        # The organiser vouches for the person: no address to confirm any more.
        set_status(
            registration,
            Status.CONFIRMED,
            by=by,
            event=event,
            offer_expires_at=None,
            verify_by=None,
        )
        mails.send(registration, "registrations/offer_accepted", calendar=True)


def seats_held(event: Event) -> int:
    """Seats confirmed or held for someone on the waiting list: both count against the cap.

    Read from the event row as the caller has it: under the event lock, exact."""
    return event.seats_held


def seats_left(event: Event) -> int:
    """Seats nobody holds yet: what the home page and the sign-up form announce."""
    return max(event.capacity - event.seats_held, 0)


def check_capacity(*, event: Event, capacity: int) -> None:
    """Raise CapacityError when `capacity` is not positive or below the seats already
    confirmed or held. `set_capacity` checks again under the event lock; the admin form calls
    this first to show the refusal beside the field."""
    if capacity < 1:
        raise CapacityError(_("The number of seats must be at least 1."))
    held = event.seats_held
    if capacity < held:
        raise CapacityError(
            ngettext(
                "%(held)d seat is already confirmed or offered: the capacity cannot go "
                "below that. Cancel sign-ups first if you need fewer seats.",
                "%(held)d seats are already confirmed or offered: the capacity cannot go "
                "below that. Cancel sign-ups first if you need fewer seats.",
                held,
            )
            % {"held": held}
        )


def set_capacity(*, event: Event, capacity: int, by: Actor) -> None:
    """Change the number of seats; new seats are offered to the waiting list at once.

    Raises CapacityError when `capacity` is below the seats already confirmed or held, or
    not positive.
    """
    with _event_lock(event) as locked:
        check_capacity(event=locked, capacity=capacity)
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        _settle_seats(locked, now=timezone.now(), by=by)
    event.capacity = capacity


def expire_offers(*, by: Actor, event: Event | None = None) -> int:
    """Let lapsed offers and unconfirmed holds lapse and pass their seats on; returns how
    many lapsed.

    Run by the `expire_offers` command (cron), for every event with a lapsed offer or hold.
    Sign-ups, confirmations, cancellations and answers to offers settle their own event first
    in the same way.
    """
    if event is not None:
        events = [event]
    else:
        now = timezone.now()
        lapsed = Registration.objects.offers_lapsed(now) | Registration.objects.holds_lapsed(now)
        events = list(Event.objects.filter(pk__in=lapsed.values("event_id")))
    lapsed = 0
    for each in events:
        with _event_lock(each) as locked:
            lapsed += _settle_seats(locked, now=timezone.now(), by=by)
    return lapsed


# Internals. Callers hold the event lock.


def _settle_seats(event: Event, *, now: dt.datetime, by: Actor) -> int:
    """Expire lapsed offers and unconfirmed holds, then offer every free seat to the waiting
    list, oldest first, skipping places whose address is not confirmed yet.

    Returns how many offers and holds lapsed. Offers are made only before the day starts,
    and never run past its start. `by` is recorded as the cause of both.
    """
    registrations = Registration.objects.filter(event=event).select_related("person")
    lapsed = list(registrations.offers_lapsed(now))
    for registration in lapsed:
        set_status(registration, Status.EXPIRED, by=by, event=event, offer_expires_at=None)
        mails.send(registration, "registrations/offer_lapsed")
    # No mail for a hold that lapses: nobody confirmed that address reaches anyone.
    holds = list(registrations.holds_lapsed(now))
    for registration in holds:
        set_status(registration, Status.LAPSED, by=by, event=event)
    if now >= event.start:
        return len(lapsed) + len(holds)
    free = event.capacity - event.seats_held
    if free > 0:
        deadline = deadlines.offer_deadline(event, start=now)
        waiting = registrations.waitlisted().filter(verify_by__isnull=True)
        for registration in waiting[:free]:
            set_status(registration, Status.OFFERED, by=by, event=event, offer_expires_at=deadline)
            mails.send(
                registration,
                "registrations/offer",
                link=mails.MANAGE,
                deadline=deadlines.OFFER,
                starts_clock=True,
            )
    return len(lapsed) + len(holds)


def _who_cancelled(by: Actor) -> dict:
    """For the cancellation mails: the person (through the public site) or someone else, an
    organiser or a command, named for the organisers' notice."""
    if by is None or by == PUBLIC:
        return {"by_organisers": False, "cancelled_by": ""}
    label = by.get_username() if isinstance(by, AbstractBaseUser) else by
    return {"by_organisers": True, "cancelled_by": label}
