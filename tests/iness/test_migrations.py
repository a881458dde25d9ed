"""The migrations that move the people of a live site into iness.Person lose nothing.

The database is taken back to before them, filled as the site held it then (names and
addresses on each sign-up and proposal, mail, history), then migrated forward again.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

# The site as it runs before people move: the mail worker and the programme are there.
BEFORE = [
    ("iness", "0005_mail_worker"),
    ("registrations", "0003_personal_data_erasure"),
    ("proposals", "0004_programme_slots"),
    ("backoffice", "0004_organisers_programme"),
]


def migrate(targets):
    """Migrate to `targets` (None: the latest); returns the models as they are there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = migrate(BEFORE)
    try:
        yield apps
    finally:
        migrate(None)


def test_people_mail_history_and_seats_move_to_their_new_places(old_apps):
    now = timezone.now()
    Event = old_apps.get_model("iness", "Event")
    Registration = old_apps.get_model("registrations", "Registration")
    Proposal = old_apps.get_model("proposals", "Proposal")
    OutgoingMail = old_apps.get_model("iness", "OutgoingMail")
    StatusChange = old_apps.get_model("iness", "StatusChange")
    ContentType = old_apps.get_model("contenttypes", "ContentType")

    def event(slug, **fields):
        return Event.objects.create(
            slug=slug,
            title=slug,
            description="",
            date=now.date(),
            starts_at="09:00",
            ends_at="17:00",
            venue="v",
            address="a",
            registration_opens_at=now,
            registration_closes_at=now + timezone.timedelta(days=1),
            proposals_close_at=now,
            contact_email="c@example.org",
            **fields,
        )

    def sign_up(day, email, status="confirmed", first="Ada", **fields):
        return Registration.objects.create(
            event=day,
            email=email,
            first_name=first,
            last_name="Lovelace",
            organisation="o",
            profile="researcher",
            organisation_kind="ess",
            language="en",
            status=status,
            token_hash=f"{Registration.objects.count():064d}",
            consent_at=now,
            created_at=now + timezone.timedelta(seconds=Registration.objects.count()),
            **fields,
        )

    one = event("one", capacity=2, offer_hours=0)
    two = event("two", capacity=1, offer_hours=100_000_000)
    first = sign_up(one, "Ada@Example.org")
    again = sign_up(two, "ada@example.org", first="Someone else", wants_news=True)
    lookalike = sign_up(one, "ſusan@example.org", status="waitlisted", first="Mallory")
    punycode_twin = sign_up(two, "x@ÉXAMPLE.org", first="Xavier")
    sign_up(two, "x@xn--xample-9ua.org", status="offered", first="Xavière")
    erased = sign_up(one, "anonymised-registration-9@anonymised.invalid", first="")
    Registration.objects.filter(pk=erased.pk).update(last_name="", anonymised_at=now)
    proposal = Proposal.objects.create(
        event=one,
        format="talk",
        title="Cartes",
        summary="s",
        experience="e",
        first_name="Ada",
        last_name="Lovelace",
        email="ADA@example.org",
        organisation="o",
        profile="researcher",
        organisation_kind="ess",
        language="en",
        token_hash="p" * 64,
        consent_at=now,
    )
    for kind, to, body in [
        ("registrations.confirmed", "ada@example.org", "Hello Ada"),
        ("registrations.organisers_signup", "iness@listes.imt.fr", "Ada L <ada@example.org>"),
        ("announcement", "ADA@example.org", "Plan"),
        ("proposals/links", "ada@example.org", "Links"),
        ("proposals/slot_changed", "ada@example.org", "New time"),
        ("registrations.confirmed", "nobody-known@example.org", "Hello"),
    ]:
        OutgoingMail.objects.create(kind=kind, to=to, subject="s", body=body)
    proposal_type = ContentType.objects.get_or_create(app_label="proposals", model="proposal")[0]
    registration_type = ContentType.objects.get_or_create(
        app_label="registrations", model="registration"
    )[0]
    for content_type, pk, same, label in [
        (proposal_type, proposal.pk, "submitted", "public site"),
        (proposal_type, proposal.pk, "accepted", "claire"),
        (registration_type, erased.pk, "cancelled", "personal data erased at the person's request"),
    ]:
        StatusChange.objects.create(
            content_type=content_type,
            object_id=pk,
            from_status=same,
            to_status=same,
            by_label=label,
        )

    apps = migrate(None)

    Person = apps.get_model("iness", "Person")
    Registration = apps.get_model("registrations", "Registration")
    Proposal = apps.get_model("proposals", "Proposal")
    ada = Person.objects.get(email_key="ada@example.org")
    # One person for one mailbox, named as they first gave it, wishing news if they ever did.
    assert (ada.email, ada.first_name, ada.wants_news) == ("Ada@Example.org", "Ada", True)
    assert set(Registration.objects.filter(person=ada).values_list("pk", flat=True)) == {
        first.pk,
        again.pk,
    }
    assert Proposal.objects.get().person_id == ada.pk
    # An address the rules refuse keeps its row, under a key no accepted address can take.
    susan = Registration.objects.get(pk=lookalike.pk).person
    assert susan.email_key.startswith("refused:") and susan.first_name == "Mallory"
    # Two active sign-ups of one day found to be one mailbox stay two people.
    twins = Registration.objects.filter(event_id=two.pk, person__email_key__contains="xn--")
    assert twins.count() == 2
    assert Registration.objects.get(pk=punycode_twin.pk).person.email_key == (
        "x@xn--xample-9ua.org"
    )
    # An erased sign-up makes an erased person.
    gone = Registration.objects.get(pk=erased.pk).person
    assert gone.anonymised_at is not None and gone.first_name == ""
    # Mail is filed under the person it went to, or whose address the notice gives.
    OutgoingMail = apps.get_model("iness", "OutgoingMail")
    filed = {(mail.kind, mail.to): mail.person_id for mail in OutgoingMail.objects.all()}
    assert filed == {
        ("registrations.confirmed", "ada@example.org"): ada.pk,
        ("registrations.organisers_signup", "iness@listes.imt.fr"): ada.pk,
        ("announcement", "ADA@example.org"): ada.pk,
        ("proposals/links", "ada@example.org"): ada.pk,
        ("proposals/slot_changed", "ada@example.org"): ada.pk,
        ("registrations.confirmed", "nobody-known@example.org"): None,
    }
    # History lines that were not status changes have their kind.
    StatusChange = apps.get_model("iness", "StatusChange")
    assert sorted(StatusChange.objects.values_list("kind", "from_status", "to_status")) == [
        ("announced", "", "accepted"),
        ("edit", "", "submitted"),
        ("erased", "", "cancelled"),
    ]
    # Each event counts its seats held; offer lengths are in range.
    Event = apps.get_model("iness", "Event")
    one, two = Event.objects.get(slug="one"), Event.objects.get(slug="two")
    assert (one.seats_held, one.capacity, one.offer_hours) == (2, 2, 1)
    assert (two.seats_held, two.capacity, two.offer_hours) == (3, 3, 1440)
