"""History lines that were not status changes get their kind; offer_hours gets into range.

Before history had kinds, other events were recorded as a change from a status to the same
status. Here the lines whose author says what they were (erasure, the purge) get their kind;
the sign-up and proposal migrations classify their own lines. Every offer_hours outside
1..MAX_OFFER_HOURS (0 drained the waiting list, huge values broke every sign-up) is brought
to the nearest bound, so that 0008 can add the constraint.
"""

from django.db import migrations
from django.db.models import F

ERASED_LABELS = [
    "personal data erased at the person's request",
    "command purge_personal_data",
]
MAX_OFFER_HOURS = 24 * 60


def forwards(apps, schema_editor):
    Event = apps.get_model("iness", "Event")
    Event.objects.filter(offer_hours__lt=1).update(offer_hours=1)
    Event.objects.filter(offer_hours__gt=MAX_OFFER_HOURS).update(offer_hours=MAX_OFFER_HOURS)
    StatusChange = apps.get_model("iness", "StatusChange")
    StatusChange.objects.filter(
        kind="status", from_status=F("to_status"), by_label__in=ERASED_LABELS
    ).update(kind="erased", from_status="")


class Migration(migrations.Migration):
    dependencies = [("iness", "0006_person")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
