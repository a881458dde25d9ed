"""A person's sign-ups when their data is erased (iness.erasure): on request, and after the
retention period.

On request, before the day, an active sign-up is cancelled first, so that its seat goes to
the waiting list; the person gets no mail (their address is going) and the organisers get a
notice that names nobody. Then the sign-up's own data (organisation, free texts, private link)
is erased; its status, profile, kind of organisation and dates stay, as anonymous figures.
"""

import datetime as dt
import logging

from django.utils.translation import gettext as _

from iness import erasure, history, links
from iness.dates import format_date
from iness.history import Actor
from iness.models import Person

from ..models import Feedback, Registration
from . import mails
from .seats import OFFER_DEADLINE, _event_lock, _settle_seats, cancel_locked

logger = logging.getLogger(__name__)

Status = Registration.Status


def erase_records(*, person: Person, by: Actor, now: dt.datetime) -> None:
    """Erase the person's sign-ups not erased yet (iness.erasure.erase_person)."""
    for registration in (
        Registration.objects.filter(person=person, anonymised_at__isnull=True)
        .select_related("event")
        .order_by("pk")
    ):
        with _event_lock(registration.event) as event:
            _settle_seats(event, now=now, by=OFFER_DEADLINE)
            registration.refresh_from_db()
            registration.person = person
            before = registration.status
            freed = registration.is_active and now < event.start
            if freed:
                cancel_locked(registration, event, now=now, by=by, notify=False)
            anonymise(registration, now=now)
            history.note(registration, history.Kind.ERASED, by=by)
            if freed:
                mails.notify_organisers(
                    registration,
                    "registrations/organisers_erased",
                    names_person=False,
                    status_before=before,
                )
        logger.info("Sign-up %s (%s): personal data erased", registration.pk, event.slug)


def purge_past(*, now: dt.datetime, cutoff: dt.date, by: Actor) -> dict[str, int]:
    """Retention (the `purge_personal_data` command): erase the sign-ups of days on or before
    `cutoff`. What is left of the person is for `iness.erasure` to decide."""
    count = 0
    due = Registration.objects.filter(event__date__lte=cutoff, anonymised_at=None)
    for registration in due.select_for_update(of=("self",)).order_by("pk"):
        anonymise(registration, now=now)
        count += 1
    return {"sign-ups anonymised": count}


def describe(*, person: Person, now: dt.datetime) -> list[str]:
    """What erasing the person does to each of their sign-ups, for the confirmation page."""
    lines = []
    for registration in (
        Registration.objects.filter(person=person, anonymised_at__isnull=True)
        .select_related("event")
        .order_by("event__date", "pk")
    ):
        event = registration.event
        facts = {"title": event.display_title, "date": format_date(event.date)}
        if not (registration.is_active and now < event.start):
            lines.append(_("Your sign-up for “%(title)s” (%(date)s) is erased.") % facts)
        elif registration.status == Status.WAITLISTED:
            lines.append(
                _(
                    "Your sign-up for “%(title)s” (%(date)s) is erased: you leave the "
                    "waiting list, and the people after you move up."
                )
                % facts
            )
        else:
            lines.append(
                _(
                    "Your sign-up for “%(title)s” (%(date)s) is erased: the seat you hold "
                    "goes to the next person on the waiting list."
                )
                % facts
            )
    return lines


def anonymise(registration: Registration, *, now: dt.datetime) -> None:
    """Erase what the sign-up itself holds (its feedback's comment too: the ratings stay,
    as anonymous figures), and kill its private link."""
    Feedback.objects.filter(registration=registration).update(comment="")
    registration.organisation = ""
    registration.interests = ""
    registration.needs = ""
    links.kill(registration)
    registration.anonymised_at = registration.anonymised_at or now
    registration.save(
        update_fields=[
            "organisation",
            "interests",
            "needs",
            "token_hash",
            "anonymised_at",
            "updated_at",
        ]
    )


RECORDS = erasure.PersonalRecords(
    model=Registration, erase=erase_records, purge=purge_past, describe=describe
)

erasure.declare(
    "registrations.Registration",
    erased={
        "organisation": "blanked",
        "interests": "blanked",
        "needs": "blanked",
        "token_hash": "replaced by a value no link can match",
    },
)
erasure.declare(
    "registrations.Feedback",
    erased={"comment": "blanked with the sign-up (the ratings stay, as anonymous figures)"},
)
