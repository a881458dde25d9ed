"""The reminder to accepted speakers who have not confirmed."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from iness import history
from iness.history import Actor, command

from ..models import Proposal
from . import mails

# An accepted speaker who has not confirmed this long after the decision gets one reminder.
REMIND_AFTER = dt.timedelta(days=5)
REMINDER_COMMAND = command("remind_unconfirmed_speakers")


def remind_unconfirmed(
    *,
    now: dt.datetime | None = None,
    after: dt.timedelta = REMIND_AFTER,
    by: Actor = REMINDER_COMMAND,
) -> int:
    """Remind, once, accepted speakers told at least `after` ago who have not confirmed.

    Only for days still to come. Returns how many reminders were queued.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            Proposal.objects.filter(
                status=Proposal.Status.ACCEPTED,
                decision_notified_at__lte=now - after,
                reminded_at__isnull=True,
                event__date__gte=timezone.localdate(now),
            )
            .select_related("event", "person")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        count = 0
        for proposal in due:
            if now >= proposal.event.start:
                continue
            proposal.reminded_at = now
            proposal.save(update_fields=["reminded_at", "updated_at"])
            history.note(proposal, history.Kind.REMINDER, by=by)
            mails.send(proposal, "proposals/reminder", link=True)
            count += 1
    return count
