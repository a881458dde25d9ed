"""Each proposal's speaker moves to iness.Person (one per email key, shared with their
sign-ups); the speaker's mails are filed under that person; history lines that were not
status changes get their kind."""

from django.db import migrations
from django.db.models import F

from iness.migrations._people import give_people_back, link_mails, person_for

NOTICES = {"proposals/organisers_received"}
REMINDER_LABEL = "command remind_unconfirmed_speakers"


def forwards(apps, schema_editor):
    Proposal = apps.get_model("proposals", "Proposal")
    for proposal in Proposal.objects.order_by("created_at", "pk").iterator():
        proposal.person = person_for(apps, proposal)
        proposal.save(update_fields=["person"])

    OutgoingMail = apps.get_model("iness", "OutgoingMail")
    mails = OutgoingMail.objects.filter(kind__startswith="proposals/")
    link_mails(apps, mails, notices=NOTICES)
    # The notice of a withdrawal names the speaker and the title, without the address.
    for proposal in Proposal.objects.exclude(title="").select_related("person"):
        mails.filter(
            person__isnull=True,
            kind="proposals/organisers_withdrawn",
            body__contains=f"“{proposal.title}”",
        ).filter(body__contains=f"{proposal.first_name} {proposal.last_name}").update(
            person=proposal.person
        )

    # Before kinds, other events were recorded as from a status to the same status.
    ContentType = apps.get_model("contenttypes", "ContentType")
    StatusChange = apps.get_model("iness", "StatusChange")
    proposal_type = ContentType.objects.filter(app_label="proposals", model="proposal").first()
    if proposal_type is None:
        return
    same = StatusChange.objects.filter(
        content_type=proposal_type, kind="status", from_status=F("to_status")
    )
    same.filter(by_label=REMINDER_LABEL).update(kind="reminder", from_status="")
    same.filter(to_status__in=["accepted", "rejected"]).update(kind="announced", from_status="")
    same.filter(to_status="submitted").update(kind="edit", from_status="")


def backwards(apps, schema_editor):
    give_people_back(apps, "proposals", "Proposal")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("proposals", "0005_proposal_person"),
        # People from sign-ups first: a speaker who also signed up is the same person.
        ("registrations", "0005_move_people"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
