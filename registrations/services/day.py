"""The day itself and after it: presence at the door, attendance certificates, feedback.

- `check_in` / `undo_check_in`: an organiser marks a confirmed attendee present (the check-in
  page), or takes it back after a wrong tap; only on the day.
- `release_certificates`: after the day, mail each person marked present their attendance
  certificate (PDF, in their language) with a new private link, once; from then on their
  private page offers it too (`certificate_available`).
- `give_feedback`: after the day, a person who had a seat rates it, once.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iness import mail
from iness.history import Actor
from iness.models import Event

from ..certificates import certificate_filename, certificate_pdf
from ..models import Feedback, Registration
from . import mails
from .refusals import DayOver, FeedbackRefused, NotAfterDay, NotPresent

Status = Registration.Status


def _check_day(event: Event, now: dt.datetime) -> None:
    # Check-in opens on the morning of the day, before the doors open, and closes at its end.
    if now >= event.end:
        raise DayOver()
    if timezone.localdate(now) < event.date:
        raise NotPresent(_("Presence is marked on the day itself."))


def check_in(*, registration: Registration, by: Actor, now: dt.datetime | None = None) -> bool:
    """Mark a confirmed attendee present; returns False when they already were."""
    now = now or timezone.now()
    current = Registration.objects.select_related("event").get(pk=registration.pk)
    _check_day(current.event, now)
    if current.status != Status.CONFIRMED:
        raise NotPresent()
    # One conditional UPDATE: two organisers tapping at once keep the first time.
    changed = Registration.objects.filter(
        pk=registration.pk, status=Status.CONFIRMED, checked_in_at__isnull=True
    ).update(checked_in_at=now)
    registration.refresh_from_db(fields=["checked_in_at"])
    return bool(changed)


def undo_check_in(*, registration: Registration, by: Actor, now: dt.datetime | None = None) -> None:
    """Take back a mark of presence (a wrong tap)."""
    current = Registration.objects.select_related("event").get(pk=registration.pk)
    _check_day(current.event, now or timezone.now())
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=None)
    registration.checked_in_at = None


@dataclass(frozen=True)
class Attendance:
    expected: int
    present: int


def attendance(event: Event) -> Attendance:
    """Confirmed seats, and how many of them were marked present (one query)."""
    counts = Registration.objects.filter(event=event, status=Status.CONFIRMED).aggregate(
        expected=Count("pk"), present=Count("checked_in_at")
    )
    return Attendance(expected=counts["expected"], present=counts["present"])


def certificates_due(event: Event):
    """People marked present whose certificate has not been released yet."""
    return Registration.objects.filter(
        event=event,
        status=Status.CONFIRMED,
        checked_in_at__isnull=False,
        certificate_released_at__isnull=True,
        anonymised_at__isnull=True,
    )


def release_certificates(*, event: Event, by: Actor, now: dt.datetime | None = None) -> int:
    """Mail each person marked present their certificate, once; returns how many.

    Run again later (someone marked present afterwards), it mails only the new ones.
    """
    now = now or timezone.now()
    if now < event.end:
        raise NotAfterDay()
    released = 0
    with transaction.atomic():
        for registration in certificates_due(event).select_for_update(of=("self",)).order_by("pk"):
            registration = Registration.objects.select_related("event", "person").get(
                pk=registration.pk
            )
            registration.certificate_released_at = now
            registration.save(update_fields=["certificate_released_at", "updated_at"])
            language = registration.person.language
            mails.send(
                registration,
                "registrations/certificate",
                link=mails.MANAGE,
                attachments=[
                    mail.Attachment(
                        filename=certificate_filename(registration),
                        content=certificate_pdf(registration, language=language),
                        mimetype="application/pdf",
                    )
                ],
            )
            released += 1
    return released


def certificate_available(registration: Registration) -> bool:
    return (
        registration.certificate_released_at is not None
        and registration.checked_in_at is not None
        and registration.anonymised_at is None
    )


# Feedback ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackData:
    overall: int
    exchanges: int
    organisation: int
    comment: str = ""


def feedback_open(registration: Registration, *, now: dt.datetime | None = None) -> bool:
    """Whether the person can give feedback now: after the day, had a seat, not yet given."""
    now = now or timezone.now()
    return (
        now >= registration.event.end
        and registration.status == Status.CONFIRMED
        and registration.anonymised_at is None
        and not Feedback.objects.filter(registration=registration).exists()
    )


def feedback_given(registration: Registration, *, now: dt.datetime | None = None) -> bool:
    """Whether the person gave their feedback (asked only after the day: no query before)."""
    return (now or timezone.now()) >= registration.event.end and (
        Feedback.objects.filter(registration=registration).exists()
    )


def give_feedback(*, registration: Registration, data: FeedbackData) -> Feedback:
    """Record the person's feedback; raises FeedbackRefused when it is not open (before
    the day's end, no seat, or given already: the first answer stays)."""
    with transaction.atomic():
        locked = Registration.objects.select_for_update().select_related("event")
        registration = locked.get(pk=registration.pk)
        if not feedback_open(registration):
            raise FeedbackRefused()
        return Feedback.objects.create(
            registration=registration,
            overall=data.overall,
            exchanges=data.exchanges,
            organisation=data.organisation,
            comment=data.comment.strip(),
        )


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    overall: float | None
    exchanges: float | None
    organisation: float | None
    comments: list[str]


def feedback_summary(event: Event) -> FeedbackSummary:
    """The averages and the comments (without names, newest first) of a day's feedback."""
    given = Feedback.objects.filter(registration__event=event)
    averages = given.aggregate(
        count=Count("pk"),
        overall=Avg("overall"),
        exchanges=Avg("exchanges"),
        organisation=Avg("organisation"),
    )
    comments = list(
        given.exclude(comment="").order_by("-created_at").values_list("comment", flat=True)
    )
    return FeedbackSummary(comments=comments, **averages)
