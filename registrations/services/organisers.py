"""Sign-ups that organisers add (a guest, a speaker, a walk-in on the day).

They go through the same lock and the same count as the public form (`seats`): a seat while
one is free, otherwise the waiting list before the day, or a refusal on the day, when the
waiting list is no longer served. Raising the capacity stays a separate, deliberate act
(`seats.set_capacity`). The person gets the usual mail with their private link.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iness import links, people
from iness.history import Actor
from iness.models import Event

from ..models import Registration
from . import mails
from .refusals import AlreadySignedUp, DayOver, NoSeatAvailable
from .seats import OFFER_DEADLINE, RegistrationData, RegistrationOutcome, _event_lock, _settle_seats
from .states import set_status
from .waitlist import waitlist_position

Status = Registration.Status


def add_by_organiser(
    *, event: Event, data: RegistrationData, by: Actor, present: bool = False
) -> RegistrationOutcome:
    """Sign `data`'s person up on an organiser's behalf; no confirmation by the person.

    Before the day starts: a seat while one is free, else the waiting list (the result
    gives the position). Once it has started (walk-ins): a seat while one is free, else
    NoSeatAvailable. After its end: DayOver. The same person with an active sign-up:
    AlreadySignedUp, nothing changed. `present`: a walk-in, marked present at once.

    The person did not accept the privacy notice themselves: a new person is recorded
    without consent (the mail they get links to the notice), a known one keeps theirs.
    """
    now = timezone.now()
    with transaction.atomic():
        person = people.person_for(data.person_data(), now=now)
        if person.consent_at == now:  # made just now, from what the organiser typed
            person.consent_at = None
            person.save(update_fields=["consent_at", "updated_at"])
        with _event_lock(event) as event:
            now = timezone.now()
            if now >= event.end:
                raise DayOver()
            _settle_seats(event, now=now, by=OFFER_DEADLINE)
            existing = Registration.objects.active().filter(event=event, person=person).first()
            if existing:
                raise AlreadySignedUp(
                    _("%(name)s is already signed up for this day (%(status)s).")
                    % {"name": person.full_name, "status": existing.get_status_display()}
                )
            confirmed = event.seats_held < event.capacity
            if not confirmed and now >= event.start:
                raise _no_seat(event)
            registration = _new_registration(event, person, data, now=now)
            links.mint(registration)  # a hash nobody has: the mail mints the link it gives
            set_status(
                registration,
                Status.CONFIRMED if confirmed else Status.WAITLISTED,
                by=by,
                event=event,
                checked_in_at=now if present and confirmed else None,
            )
            position = waitlist_position(registration)
            template = "registrations/confirmed" if confirmed else "registrations/waitlisted"
            mails.send(
                registration,
                template,
                link=mails.MANAGE,
                calendar=confirmed,
                position=position,
                added_by_organisers=True,
            )
    return RegistrationOutcome(registration=registration, created=True, position=position)


def _new_registration(
    event: Event, person, data: RegistrationData, *, now: dt.datetime
) -> Registration:
    return Registration(
        event=event,
        person=person,
        organisation=data.organisation.strip(),
        profile=data.profile,
        organisation_kind=data.organisation_kind,
        interests=data.interests.strip(),
        needs=data.needs.strip(),
        created_at=now,
    )


def _no_seat(event: Event) -> NoSeatAvailable:
    return NoSeatAvailable(
        ngettext(
            "Every seat is taken (%(capacity)s seat in all) and the day has started: nobody "
            "can wait for a seat any more. Raise the capacity first if the room allows it.",
            "Every seat is taken (%(capacity)s seats in all) and the day has started: nobody "
            "can wait for a seat any more. Raise the capacity first if the room allows it.",
            event.capacity,
        )
        % {"capacity": event.capacity}
    )
