"""The reminder a few days before the day, so that unused seats come back."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from iness import history
from iness.history import Actor

from ..models import Registration
from . import mails

Status = Registration.Status


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
                Registration.objects.select_for_update(of=("self",))
                .select_related("event", "person")
                .filter(pk=pk, status=Status.CONFIRMED, reminder_sent_at__isnull=True)
                .first()
            )
            if registration is None:
                continue
            registration.reminder_sent_at = timezone.now()
            registration.save(update_fields=["reminder_sent_at"])
            history.note(registration, history.Kind.REMINDER, by=by)
            mails.send(registration, "registrations/reminder", link=mails.MANAGE, calendar=True)
            sent += 1
    return sent
