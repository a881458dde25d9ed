"""Every email of the site, sent by a real run of sign-ups and proposals, reads as one careful
letter: the same closing, the contact address once, the facts of the day and the private link
where the person needs them, and nothing left unrendered."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from iness.erasure import erase_person
from iness.history import PUBLIC
from iness.models import Event, OutgoingMail, Person
from proposals import programme
from proposals import services as proposals
from proposals.models import Proposal, Slot
from registrations import services as registrations
from registrations.models import Registration
from tests.proposals.conftest import accept_named, named, proposal_data
from tests.registrations.conftest import person

pytestmark = pytest.mark.django_db

TEMPLATES = Path(django_settings.BASE_DIR) / "templates" / "email"
ORGANISERS = "committee@example.org"

# Mails that carry a private link, and mails that give the date, time and place of the day.
WITH_LINK = {
    "registrations.verify",
    "registrations.confirmed",
    "registrations.waitlisted",
    "registrations.offer",
    "registrations.link_again",
    "registrations.reminder",
    "registrations.certificate",
    "proposals/received",
    "proposals/links",
    "proposals/accepted",
    "proposals/reminder",
}
WITH_FACTS = {
    "registrations.verify",
    "registrations.confirmed",
    "registrations.waitlisted",
    "registrations.offer",
    "registrations.offer_accepted",
    "registrations.offer_lapsed",
    "registrations.cancelled",
    "registrations.link_again",
    "registrations.reminder",
    "proposals/received",
    "proposals/accepted",
    "proposals/rejected",
    "proposals/reminder",
    "proposals/slot_changed",
}


def every_mail_template() -> set[str]:
    """ "registrations.confirmed", "proposals/received"...: each body template but partials."""
    kinds = set()
    for path in TEMPLATES.glob("*/*.txt"):
        # backoffice/: the footer of the messages organisers write themselves.
        if path.parent.name == "backoffice":
            continue
        if path.name.startswith("_") or path.stem.endswith("_subject"):
            continue
        separator = "." if path.parent.name == "registrations" else "/"
        kinds.add(f"{path.parent.name}{separator}{path.stem}")
    return kinds


def run_the_day(make_event, organiser, language: str) -> Registration:
    """Sign-ups, a cancellation, an offer accepted, an offer lapsed, a reminder; proposals
    received, changed, accepted, not retained, reminded, withdrawn; data erased on request:
    every mail, once or more."""
    event = make_event(capacity=1, date=timezone.localdate() + dt.timedelta(days=2))

    def sign_up(name):
        data = person(first_name=name, email=f"{name.lower()}@example.org", language=language)
        return registrations.register(verified=True, event=event, data=data).registration

    ada = sign_up("Ada")
    bob = sign_up("Bob")
    registrations.register(
        verified=True, event=event, data=person(email="ADA@example.org", language=language)
    )
    registrations.cancel(registration=ada, by=PUBLIC)
    bob.refresh_from_db()
    registrations.accept_offer(registration=bob, by=PUBLIC)
    cleo = sign_up("Cleo")
    registrations.cancel(registration=bob, by=organiser)
    # The offer's mail went (its deadline counts from then), and its hours ran out.
    OutgoingMail.objects.filter(
        hook="registrations.deadline", hook_args__deadline__registration=cleo.pk
    ).update(status=OutgoingMail.Status.SENT, sent_at=timezone.now())
    Registration.objects.filter(pk=cleo.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    registrations.expire_offers(by="test")
    dan = sign_up("Dan")
    registrations.send_reminders(days=3, by="test")
    registrations.correct_details(
        registration=dan,
        data=registrations.DetailsData(
            first_name="Dan", last_name="Lovelace", email="dan@new.example.org", organisation="X"
        ),
    )
    # A public sign-up: a place held until the address is confirmed.
    registrations.register(
        event=event, data=person(first_name="Fay", email="fay@example.org", language=language)
    )

    pia = named("Pia", "Ng", "pia@example.org", "Tiers-lieu")
    quinn = named("Quinn", "Roy", "quinn@example.org")
    first = proposals.submit(
        event=event, data=proposal_data(language=language, panel=(pia, quinn))
    ).proposal
    accept_named(first)
    # Taken off the list: told; kept: keeps their answer, and is told the acceptance.
    proposals.edit(
        proposal=first, data=proposal_data(language=language, title="Revised", panel=(pia,))
    )
    second = proposals.submit(
        event=event, data=proposal_data(language=language, title="Other", email="zoe@example.org")
    ).proposal
    proposals.send_proposal_links(email="ada@example.org", language=language)
    proposals.decide(proposal=first, decision=Proposal.Status.ACCEPTED, by=organiser)
    proposals.decide(proposal=second, decision=Proposal.Status.REJECTED, by=organiser)
    proposals.notify_decisions(proposals=Proposal.objects.all(), by=organiser)
    proposals.remind_unconfirmed(
        now=timezone.now() + dt.timedelta(minutes=1), after=dt.timedelta(0)
    )
    # The programme is published, and the accepted talk is given a slot, then moved.
    Event.objects.filter(pk=event.pk).update(programme_published=True)
    event.refresh_from_db()
    talk = Proposal.objects.get(pk=first.pk)
    slot = Slot(event=event, proposal=talk, starts_at=dt.time(10, 0), duration=45, room="B")
    programme.save_day(event=event, changed=[slot])
    slot.starts_at = dt.time(14, 0)
    programme.save_day(event=event, changed=[slot])
    proposals.withdraw(proposal=first)
    # Erasing deletes the person's unsent mail: erase people who are there only for that.
    erase_person(sign_up("Eve").person)
    third = proposals.submit(
        event=event, data=proposal_data(language=language, title="Third", email="yan@example.org")
    ).proposal
    erase_person(third.person)
    # After the day: Dan, marked present, gets his certificate.
    dan = Registration.objects.get(person__email="dan@example.org")
    Registration.objects.filter(pk=dan.pk).update(checked_in_at=timezone.now())
    Event.objects.filter(pk=event.pk).update(
        date=timezone.localdate() - dt.timedelta(days=1),
        registration_closes_at=timezone.now() - dt.timedelta(days=2),
        registration_opens_at=timezone.now() - dt.timedelta(days=30),
    )
    event.refresh_from_db()
    registrations.release_certificates(event=event, by=organiser)
    return event


@pytest.fixture
def organiser(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="x" * 16)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_mail_reads_as_one_careful_letter(
    make_event, organiser, settings, delivered, language
):
    settings.ORGANISERS_EMAIL = ORGANISERS
    with delivered():
        event = run_the_day(make_event, organiser, language)
    with translation.override(language):
        closing = f"{gettext('Best regards,')}\n{gettext('The INESS organising committee')}"
    mails = list(OutgoingMail.objects.order_by("pk"))

    assert {m.kind for m in mails} == every_mail_template()
    for mail in mails:
        where = f"{mail.kind} to {mail.to}"
        for text in (mail.subject, mail.body):
            assert "None" not in text, where
            assert "{" not in text and "}" not in text, where
        assert 0 < len(mail.subject) <= 90, where
        assert "\n\n\n" not in mail.body.strip(), where
        if mail.to == ORGANISERS:
            continue
        assert mail.body.rstrip().endswith(closing), where
        assert mail.body.count(event.contact_email) == 1, where
        # What the outbox keeps never holds a live link: it is minted when the mail is sent.
        assert "/mon-inscription/" not in mail.body, where
        assert "/ma-proposition/" not in mail.body, where
        if mail.kind in WITH_LINK:
            assert "[[iness:link" in mail.body, where
            assert mail.hook, where
        if mail.kind in WITH_FACTS:
            assert event.address in mail.body, where
            assert event.venue in mail.body, where
            assert "(Paris time)" in mail.body or "(heure de Paris)" in mail.body, where


def test_no_mail_to_a_person_shows_anyone_else_s_address(
    make_event, organiser, settings, delivered
):
    settings.ORGANISERS_EMAIL = ORGANISERS
    with delivered():
        run_the_day(make_event, organiser, "en")

    for mail in OutgoingMail.objects.exclude(to=ORGANISERS):
        others = Person.objects.exclude(email=mail.to).values_list("email", flat=True)
        for address in others:
            assert address.lower() not in mail.body.lower(), f"{mail.kind} to {mail.to}"
