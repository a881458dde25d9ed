"""Sign-up rules: the hard seat cap, the waiting list, offers of freed seats, private links.

Every change that uses up or frees a seat runs under one lock, taken on the event row
(`_event_lock`): on PostgreSQL `SELECT ... FOR UPDATE`, on SQLite the IMMEDIATE transaction
that the settings ask for, which takes the database's write lock before anything is read.
Seats held are `confirmed` + `offered`; they never exceed `Event.capacity`.

A registration's private link carries a random token of which only the hash is stored, so a
link can be written into a mail only when its token is made: every mail that carries the link
makes a new one, and the links in earlier mails stop working (the pages say so and point to the
"lost your link?" form).

Mail is queued through `iness.mail` inside the same transaction and sent after commit, so the
lock is held only for a few quick queries.
"""

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iness import history, mail, privacy, tokens
from iness.history import PUBLIC, Actor
from iness.models import Event
from iness.privacy import PRIVACY_NOTICE_VERSION

from .ics import event_calendar
from .models import Registration

Status = Registration.Status

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    # False: the address already had an active registration for the event; nothing changed,
    # its link was emailed again.
    created: bool
    # Waiting-list position (1-based) when waitlisted, else None.
    position: int | None


class RegistrationClosed(Exception):
    """Sign-up is closed for this event (not open yet, closed, started, unpublished)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class CapacityError(ValueError):
    """A capacity that would break the cap or the database constraint."""


class NoSeatAvailable(ValueError):
    """Every seat is confirmed or held for someone: nobody more can be confirmed."""


class OfferNotOpen(Exception):
    """The registration has no seat offer to answer (never had one, answered, or lapsed)."""

    def __init__(self, registration: Registration):
        super().__init__(registration.status)
        self.registration = registration


# Reasons sign-up is closed, as RegistrationClosed.reason and closed_reason() give them.
NOT_PUBLISHED = "not_published"
NOT_OPEN_YET = "not_open_yet"
CLOSED = "closed"
STARTED = "started"


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
    take the last seat.
    """
    with transaction.atomic():
        yield Event.objects.select_for_update().get(pk=event.pk)


def register(*, event: Event, data: RegistrationData, by: Actor = PUBLIC) -> RegistrationOutcome:
    """Confirm while seats remain, otherwise put on the waiting list; mail the person.

    The same address (in any letter case) with an active registration for the event gets no
    second one: nothing changes, and its private link is emailed again (a new link).
    Raises RegistrationClosed when sign-up is not open.
    """
    email = data.email.strip()
    with _event_lock(event) as event:
        # Read the clock under the lock: the waiting list is served in created_at order,
        # which must be the order in which people got their position.
        now = timezone.now()
        reason = closed_reason(event, now=now)
        if reason:
            raise RegistrationClosed(reason)
        _settle_seats(event, now=now, by=OFFER_DEADLINE)
        existing = Registration.objects.active().filter(event=event, email__iexact=email).first()
        if existing:
            _send_link(existing, template="registrations/link_again", language=data.language)
            return RegistrationOutcome(
                registration=existing, created=False, position=waitlist_position(existing)
            )
        held = seats_held(event)
        _between_count_and_insert()
        status = Status.CONFIRMED if held < event.capacity else Status.WAITLISTED
        token, token_hash = tokens.new_token()
        registration = Registration.objects.create(
            event=event,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            email=email,
            organisation=data.organisation.strip(),
            profile=data.profile,
            organisation_kind=data.organisation_kind,
            interests=data.interests.strip(),
            needs=data.needs.strip(),
            language=_language(data.language),
            wants_news=data.wants_news,
            status=status,
            token_hash=token_hash,
            consent_at=now,
            privacy_notice_version=data.privacy_notice_version,
            created_at=now,
        )
        history.record(registration, from_status="", to_status=status, by=by)
        position = waitlist_position(registration)
        if status == Status.CONFIRMED:
            _mail(registration, "registrations/confirmed", token=token, calendar=True)
        else:
            _mail(registration, "registrations/waitlisted", token=token, position=position)
        _notify_organisers(registration, "registrations/organisers_signup", position=position)
    return RegistrationOutcome(registration=registration, created=True, position=position)


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


def cancel(*, registration: Registration, by: Actor, notify: bool = True) -> None:
    """Cancel a registration (by the person or an organiser); a freed seat is offered onward.

    Cancelling what is already cancelled or lapsed changes nothing. `notify=False` mails
    neither the person nor the organisers (`erase` does, as the person's data goes).
    """
    with _event_lock(registration.event) as event:
        now = timezone.now()
        _settle_seats(event, now=now, by=OFFER_DEADLINE)
        registration.refresh_from_db()
        if not registration.is_active:
            return
        # The mails say who cancelled, and whether a seat was freed.
        told = _who_cancelled(by) | {"had_seat": registration.status != Status.WAITLISTED}
        _set_status(registration, Status.CANCELLED, by=by, offer_expires_at=None)
        if notify:
            _mail(registration, "registrations/cancelled", **told)
            _notify_organisers(registration, "registrations/organisers_cancelled", **told)
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
            _set_status(registration, Status.CONFIRMED, by=by, offer_expires_at=None)
            _mail(registration, "registrations/offer_accepted", calendar=True)
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
            _set_status(registration, Status.CANCELLED, by=by, offer_expires_at=None)
            _mail(registration, "registrations/cancelled", **told)
            _notify_organisers(registration, "registrations/organisers_cancelled", **told)
            _settle_seats(event, now=now, by=by)
    if not declined:
        raise OfferNotOpen(registration)


def promote(*, registration: Registration, by: Actor) -> None:
    """Confirm a waitlisted or offered person at once (an organiser's decision).

    A waitlisted person can be confirmed only into a free seat: raises NoSeatAvailable when
    every seat is confirmed or held for someone else.
    """
    with _event_lock(registration.event) as event:
        _settle_seats(event, now=timezone.now(), by=OFFER_DEADLINE)
        registration.refresh_from_db()
        if registration.status == Status.WAITLISTED:
            held = seats_held(event)
            if held >= event.capacity:
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
        elif registration.status != Status.OFFERED:
            raise ValueError(_("Only people on the waiting list can be confirmed."))
        _set_status(registration, Status.CONFIRMED, by=by, offer_expires_at=None)
        _mail(registration, "registrations/offer_accepted", calendar=True)


def offer_is_open(registration: Registration, *, now: dt.datetime | None = None) -> bool:
    """Whether the person can still accept or give up a seat offer. An offer whose deadline
    has passed is closed, even before the lapse is recorded (by the next sign-up,
    cancellation or the cron command)."""
    return registration.status == Status.OFFERED and registration.offer_expires_at > (
        now or timezone.now()
    )


def seats_held(event: Event) -> int:
    """Seats confirmed or held for someone on the waiting list: both count against the cap."""
    return Registration.objects.filter(event=event).holding_seat().count()


def seats_left(event: Event) -> int:
    """Seats nobody holds yet: what the home page and the sign-up form announce."""
    return max(event.capacity - seats_held(event), 0)


def check_capacity(*, event: Event, capacity: int) -> None:
    """Raise CapacityError (a ValueError) when `capacity` is not positive or below the seats
    already confirmed or held. `set_capacity` checks again under the event lock; the admin
    form calls this first to show the refusal beside the field."""
    if capacity < 1:
        raise CapacityError(_("The number of seats must be at least 1."))
    held = seats_held(event)
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

    Raises CapacityError (a ValueError) when `capacity` is below the seats already confirmed
    or held, or not positive.
    """
    with _event_lock(event) as locked:
        check_capacity(event=locked, capacity=capacity)
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        _settle_seats(locked, now=timezone.now(), by=by)
    event.capacity = capacity


def expire_offers(*, by: Actor, event: Event | None = None) -> int:
    """Let lapsed offers expire and pass their seats on; returns how many lapsed.

    Run by the `expire_offers` command (cron), for every event with a lapsed offer. Sign-ups,
    cancellations and answers to offers settle their own event first in the same way.
    """
    if event is not None:
        events = [event]
    else:
        lapsed_offers = Registration.objects.offers_lapsed(timezone.now())
        events = list(Event.objects.filter(pk__in=lapsed_offers.values("event_id")))
    lapsed = 0
    for each in events:
        with _event_lock(each) as locked:
            lapsed += _settle_seats(locked, now=timezone.now(), by=by)
    return lapsed


def resend_link(*, registration: Registration, language: str | None = None) -> None:
    """Email a new private link; the previous one stops working."""
    with transaction.atomic():
        _send_link(registration, template="registrations/link_again", language=language)


def send_lost_links(*, email: str, language: str) -> None:
    """The lost-link sender: a new link for each active registration of this address to a day
    still to come. Registered with `iness.links` in RegistrationsConfig.ready()."""
    today = timezone.localdate()
    for registration in (
        Registration.objects.active()
        .filter(email__iexact=email.strip(), event__date__gte=today)
        .select_related("event")
    ):
        _send_link(registration, template="registrations/link_again", language=language)


def find_by_token(token: str) -> Registration | None:
    """The registration a private link points to, or None for an unknown or replaced link."""
    if not token or len(token) > 100:
        return None
    registration = (
        Registration.objects.select_related("event")
        .filter(token_hash=tokens.hash_token(token))
        .first()
    )
    if registration is None or not tokens.token_matches(token, registration.token_hash):
        return None
    return registration


def send_reminders(*, days: int, by: Actor) -> int:
    """Remind confirmed attendees of a day that starts within `days` days, once each.

    The reminder carries the calendar file and a new private link to cancel, so that unused
    seats come back. Returns how many reminders were queued.
    """
    today = timezone.localdate()
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__is_published=True,
        event__date__gte=today,
        event__date__lte=today + dt.timedelta(days=days),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            # Re-read under a row lock: the person may have cancelled since the list was made.
            registration = (
                Registration.objects.select_for_update()
                .filter(pk=pk, status=Status.CONFIRMED, reminder_sent_at__isnull=True)
                .first()
            )
            if registration is None:
                continue
            token = _new_link(registration)
            registration.reminder_sent_at = timezone.now()
            registration.save(update_fields=["reminder_sent_at", "token_hash", "updated_at"])
            _mail(registration, "registrations/reminder", token=token, calendar=True)
            sent += 1
    return sent


# Personal data. ----------------------------------------------------------------------------


def erase(*, registration: Registration, by: Actor = privacy.ERASED_ON_REQUEST) -> None:
    """ "Delete my data": free the seat as a cancellation does, then erase the person's data.

    Before the day, an active sign-up is cancelled first, so that its seat goes to the
    waiting list; the person gets no mail (their address is going) and the organisers get
    a notice that names nobody. Then the names, address, organisation and free texts are
    replaced by neutral values, the private link stops working, the mail records about
    this sign-up are deleted (not sent yet) or anonymised (sent), a news contact kept from
    an earlier day under the same address is erased too (the person asked us to forget
    them), and one line of history says what happened, without personal data. Status,
    profile, kind of organisation and dates stay, as anonymous figures.
    """
    with _event_lock(registration.event) as event:
        now = timezone.now()
        registration.refresh_from_db()
        if registration.email == privacy.anonymous_address(registration):
            return  # erased already (a second click, sent before the first one answered)
        before = registration.status
        freed = registration.is_active and now < event.start
        if freed:
            cancel(registration=registration, by=by, notify=False)
            registration.refresh_from_db()
        email = registration.email
        # Another sign-up of the same address for the same day (cancelled, then signed up
        # again) may be waiting for a message: unsent ones are then kept.
        other_alive = (
            Registration.objects.filter(event=event, email__iexact=email, anonymised_at=None)
            .exclude(pk=registration.pk)
            .exists()
        )
        _anonymise(registration, now=now)
        mails = privacy.erase_mails(
            privacy.mails_about(email=email, event=event, kind_prefix="registrations."),
            keep_unsent=other_alive,
        )
        for contact in Registration.objects.filter(
            email__iexact=email, wants_news=True, anonymised_at__isnull=False
        ).exclude(pk=registration.pk):
            _anonymise(contact, now=now)
        history.record(
            registration, from_status=registration.status, to_status=registration.status, by=by
        )
        if freed:
            _notify_organisers(
                registration, "registrations/organisers_erased", status_before=before
            )
    logger.info(
        "Sign-up %s (%s): personal data erased on request; %s email(s) deleted, %s anonymised",
        registration.pk,
        event.slug,
        mails.deleted,
        mails.anonymised,
    )


def purge_past(*, now: dt.datetime, cutoff: dt.date, by: Actor) -> dict[str, int]:
    """Retention (the `purge_personal_data` command): anonymise the sign-ups of days on or
    before `cutoff`.

    People who asked for news of future days keep their name and address for that purpose,
    until NEWS_KEPT_YEARS after the day of that sign-up (a later sign-up that asks again
    carries the wish on). The privacy notice promises "never more than three years after
    your last INESS day": this is never later than that.
    """
    counts = {"sign-ups anonymised": 0, "news contacts kept": 0, "news contacts erased": 0}
    due = Registration.objects.filter(event__date__lte=cutoff, anonymised_at=None)
    for registration in due.select_for_update(of=("self",)).order_by("pk"):
        _anonymise(registration, now=now, keep_contact=registration.wants_news)
        counts["sign-ups anonymised"] += 1
        counts["news contacts kept"] += registration.wants_news
    today = timezone.localdate(now)
    contacts = Registration.objects.filter(wants_news=True, anonymised_at__isnull=False)
    for contact in contacts.select_related("event").order_by("pk"):
        if privacy.news_kept_until(contact.event.date) <= today:
            _anonymise(contact, now=now)
            counts["news contacts erased"] += 1
    return counts


def _anonymise(registration: Registration, *, now: dt.datetime, keep_contact: bool = False):
    """Replace the person's data by neutral values and kill the private link.

    `keep_contact`: keep the name and address, for news of future days (the person asked).
    """
    registration.organisation = ""
    registration.interests = ""
    registration.needs = ""
    registration.token_hash = privacy.dead_token_hash(registration)
    if not keep_contact:
        registration.first_name = ""
        registration.last_name = ""
        registration.email = privacy.anonymous_address(registration)
        registration.wants_news = False
    registration.anonymised_at = registration.anonymised_at or now
    registration.save(
        update_fields=[
            "organisation",
            "interests",
            "needs",
            "token_hash",
            "first_name",
            "last_name",
            "email",
            "wants_news",
            "anonymised_at",
            "updated_at",
        ]
    )


# Internals. Callers hold the event lock.


def _settle_seats(event: Event, *, now: dt.datetime, by: Actor) -> int:
    """Expire lapsed offers, then offer every free seat to the waiting list, oldest first.

    Returns how many offers lapsed. Offers are made only before the day starts, and never
    run past its start. `by` is recorded as the cause of both.
    """
    lapsed = list(Registration.objects.filter(event=event).offers_lapsed(now))
    for registration in lapsed:
        _set_status(registration, Status.EXPIRED, by=by, offer_expires_at=None)
        _mail(registration, "registrations/offer_lapsed")
    if now >= event.start:
        return len(lapsed)
    free = event.capacity - seats_held(event)
    if free > 0:
        deadline = min(now + dt.timedelta(hours=event.offer_hours), event.start)
        for registration in Registration.objects.filter(event=event).waitlisted()[:free]:
            _set_status(registration, Status.OFFERED, by=by, offer_expires_at=deadline)
            token = _new_link(registration)
            registration.save(update_fields=["token_hash", "updated_at"])
            _mail(registration, "registrations/offer", token=token, deadline=deadline)
    return len(lapsed)


def _set_status(registration: Registration, status: str, *, by: Actor, **fields) -> None:
    """The only place a registration's status changes: saved and recorded in its history."""
    previous = registration.status
    registration.status = status
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", "updated_at", *fields])
    history.record(registration, from_status=previous, to_status=status, by=by)


def _who_cancelled(by: Actor) -> dict:
    """For the cancellation mails: the person (through the public site) or someone else, an
    organiser or a command, named for the organisers' notice."""
    if by is None or by == PUBLIC:
        return {"by_organisers": False, "cancelled_by": ""}
    label = by.get_username() if isinstance(by, AbstractBaseUser) else by
    return {"by_organisers": True, "cancelled_by": label}


def _new_link(registration: Registration) -> str:
    """Give the registration a new token (not saved yet) and return it."""
    token, registration.token_hash = tokens.new_token()
    return token


def _send_link(registration: Registration, *, template: str, language: str | None) -> None:
    token = _new_link(registration)
    registration.save(update_fields=["token_hash", "updated_at"])
    _mail(
        registration,
        template,
        token=token,
        language=language,
        position=waitlist_position(registration),
    )


def manage_url(token: str) -> str:
    return settings.SITE_URL + reverse("registrations:manage", args=[token])


def _language(code: str | None) -> str:
    """One of the site's languages ("en-gb" gives "en"); French for anything else."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def _mail(
    registration: Registration,
    template: str,
    *,
    token: str | None = None,
    language: str | None = None,
    calendar: bool = False,
    **context,
) -> None:
    event = registration.event
    language = _language(language or registration.language)
    attachments = []
    if calendar:
        attachments.append(
            mail.Attachment(
                filename=f"{event.slug}.ics",
                content=event_calendar(event, language=language),
                mimetype="text/calendar",
            )
        )
    mail.queue_mail(
        to=registration.email,
        template=template,
        context={
            "registration": registration,
            "event": event,
            "manage_url": manage_url(token) if token else "",
            "lost_link_url": settings.SITE_URL + reverse("lost_link"),
            **context,
        },
        language=language,
        kind=template.replace("/", "."),
        attachments=attachments,
    )


def _notify_organisers(registration: Registration, template: str, **context) -> None:
    mail.queue_mail(
        to=settings.ORGANISERS_EMAIL,
        template=template,
        context={"registration": registration, "event": registration.event, **context},
        language=settings.LANGUAGE_CODE,
        kind=template.replace("/", "."),
    )
