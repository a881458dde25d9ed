"""Each sign-up's person moves to iness.Person (one per email key); its mails are filed
under that person; each event's seat count is computed.

Two active sign-ups of one day whose addresses the new rules find to be the same mailbox
(possible only with look-alike addresses) stay two people, under keys of their own, so that
the new constraint (one active sign-up per person and day) holds and nothing is lost; the
migration prints their numbers for organisers to look at.
"""

from django.db import migrations

from iness.identity import key_or_refused
from iness.migrations._people import give_people_back, link_mails, person_for

ACTIVE = ["confirmed", "waitlisted", "offered"]
HOLDING_SEAT = ["confirmed", "offered"]
NOTICES = {"registrations.organisers_signup", "registrations.organisers_cancelled"}


def forwards(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    for registration in Registration.objects.order_by("created_at", "pk").iterator():
        key = key_or_refused(registration.email)
        if (
            registration.status in ACTIVE
            and Registration.objects.filter(
                event_id=registration.event_id,
                person__email_key=key,
                status__in=ACTIVE,
            ).exists()
        ):
            print(f"\n  sign-up {registration.pk}: same mailbox as another active sign-up")
            key = f"duplicate:{registration.pk}:{key}"[:320]
        registration.person = person_for(apps, registration, key=key)
        registration.save(update_fields=["person"])

    OutgoingMail = apps.get_model("iness", "OutgoingMail")
    link_mails(apps, OutgoingMail.objects.filter(kind__startswith="registrations."), notices=NOTICES)

    Event = apps.get_model("iness", "Event")
    for event in Event.objects.all():
        held = Registration.objects.filter(event=event, status__in=HOLDING_SEAT).count()
        if held > event.capacity:
            # The database now refuses more seats than the capacity: the people who hold
            # them keep them.
            print(f"\n  event {event.pk}: capacity raised from {event.capacity} to {held}")
            event.capacity = held
        event.seats_held = held
        event.save(update_fields=["capacity", "seats_held"])


def backwards(apps, schema_editor):
    give_people_back(apps, "registrations", "Registration")


class Migration(migrations.Migration):
    dependencies = [("registrations", "0004_registration_person")]

    operations = [migrations.RunPython(forwards, backwards)]
