"""The `purge_personal_data` command: what the privacy notice promises about retention.

"Sign-ups, proposals not published in a programme, and the emails we sent are anonymised
RETENTION_DAYS days after the day they concern [...] Proposals published in the programme
stay in it as the record of the day. If you asked to hear about future INESS days, your name
and email address are kept for that purpose [...] never more than three years after your
last INESS day." (templates/iness/privacy.html)
"""

import datetime as dt
import io
import logging

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.html import strip_tags

from iness.models import OutgoingMail, Person
from iness.privacy import ANONYMISED_MAIL_TO
from proposals import services as proposals
from proposals.models import Proposal, Review
from registrations import services as registrations
from registrations.models import Registration
from tests.proposals.conftest import proposal_data
from tests.registrations.conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel(monkeypatch):
    """Move the clock the site reads (django.utils.timezone.now) to noon, Paris time, on a
    day: `travel(event.date + dt.timedelta(days=90))`."""

    def to(day: dt.date) -> dt.datetime:
        moment = dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_default_timezone())
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return to


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def days_after(event, days: int) -> dt.date:
    return event.date + dt.timedelta(days=days)


def sign_up(event, **overrides) -> Registration:
    return registrations.register(verified=True, event=event, data=person(**overrides)).registration


def submit(event, **overrides) -> Proposal:
    return proposals.submit(event=event, data=proposal_data(**overrides)).proposal


def accept(proposal, organiser) -> None:
    proposals.decide(proposal=proposal, decision=Proposal.Status.ACCEPTED, by=organiser)
    proposals.notify_decisions(proposals=Proposal.objects.filter(pk=proposal.pk), by=organiser)


@pytest.fixture
def organiser(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="x" * 16)


def snapshot() -> dict:
    """Every row the command may touch, field by field."""
    return {
        model.__name__: [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in (Person, Registration, Proposal, Review, OutgoingMail)
    }


# Sign-ups


def test_sign_ups_are_anonymised_retention_days_after_the_day(event, travel):
    registration = sign_up(
        event, first_name="Ada", email="ada@example.org", interests="Commons", needs="Diet"
    )
    travel(days_after(event, 90))

    purge()

    registration.refresh_from_db()
    person = registration.person
    assert (person.first_name, person.last_name, registration.organisation) == ("", "", "")
    assert (registration.interests, registration.needs) == ("", "")
    assert person.email.endswith("@anonymised.invalid")
    assert registration.anonymised_at == timezone.now() == person.anonymised_at
    assert registrations.find_by_token("anything") is None
    # Only anonymous figures remain: how many came, who they were in broad terms.
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.profile == "practitioner"


def test_nothing_is_touched_the_day_before_the_limit(event, organiser, travel):
    sign_up(event, wants_news=True)
    proposal = submit(event)
    Review.objects.create(proposal=proposal, reviewer=organiser, score=3, comment="Ada's talk")
    accept(proposal, organiser)
    event.programme_published = True
    event.save()
    before = snapshot()
    travel(days_after(event, 89))

    output = purge()

    assert snapshot() == before
    assert "sign-ups anonymised: 0" in output


def test_a_day_still_to_come_is_never_touched(event, make_event, travel):
    later = make_event(slug="later", date=days_after(event, 200))
    kept = sign_up(later, first_name="Grace")
    travel(days_after(event, 90))

    purge()

    kept.refresh_from_db()
    assert kept.person.first_name == "Grace" and kept.anonymised_at is None


def test_the_retention_setting_moves_the_limit(event, settings, travel):
    settings.RETENTION_DAYS = 30
    registration = sign_up(event)
    travel(days_after(event, 30))

    purge()

    registration.refresh_from_db()
    assert registration.anonymised_at is not None


# News of future days


def test_those_who_asked_for_news_keep_only_their_name_and_address(event, travel):
    registration = sign_up(
        event,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        interests="Commons",
        wants_news=True,
    )
    travel(days_after(event, 90))

    output = purge()

    registration.refresh_from_db()
    person = registration.person
    assert (person.first_name, person.last_name, person.email) == (
        "Ada",
        "Lovelace",
        "ada@example.org",
    )
    assert person.wants_news is True and person.anonymised_at is None
    assert (registration.organisation, registration.interests) == ("", "")
    assert registration.anonymised_at is not None
    assert "news contacts kept: 1" in output


def test_a_news_contact_is_erased_three_years_after_the_day(event, travel):
    registration = sign_up(event, first_name="Ada", wants_news=True)
    travel(days_after(event, 90))
    purge()
    three_years = event.date.replace(year=event.date.year + 3)
    travel(three_years - dt.timedelta(days=1))
    purge()
    registration.refresh_from_db()
    assert registration.person.first_name == "Ada"

    travel(three_years)
    output = purge()

    registration.refresh_from_db()
    assert (registration.person.first_name, registration.person.wants_news) == ("", False)
    assert registration.person.email.endswith("@anonymised.invalid")
    assert "news contacts erased: 1" in output


# Proposals


def test_proposals_not_in_a_published_programme_are_anonymised(event, organiser, travel):
    submitted = submit(event, title="Submitted")
    rejected = submit(event, title="Rejected", email="r@example.org")
    proposals.decide(proposal=rejected, decision=Proposal.Status.REJECTED, by=organiser)
    withdrawn = submit(event, title="Withdrawn", email="w@example.org")
    proposals.withdraw(proposal=withdrawn)
    accepted_unpublished = submit(event, title="Accepted", email="a@example.org")
    accept(accepted_unpublished, organiser)
    Review.objects.create(proposal=submitted, reviewer=organiser, score=2, comment="Ada's")
    travel(days_after(event, 90))

    output = purge()

    for proposal in (submitted, rejected, withdrawn, accepted_unpublished):
        proposal.refresh_from_db()
        assert (proposal.title, proposal.summary, proposal.experience) == ("", "", "")
        person = proposal.person
        assert (person.first_name, person.last_name, proposal.organisation) == ("", "", "")
        assert person.email.endswith("@anonymised.invalid")
        assert proposal.anonymised_at is not None
    assert list(Review.objects.values_list("score", "comment")) == [(2, "")]
    assert "proposals anonymised: 4" in output


def test_a_published_programme_keeps_what_it_shows(client, event, organiser, travel):
    proposal = submit(
        event,
        title="Covoiturage solidaire",
        summary="Une coopérative rurale.",
        needs="Un micro",
        email="ada@example.org",
    )
    Review.objects.create(proposal=proposal, reviewer=organiser, score=5, comment="Ada, bravo")
    accept(proposal, organiser)
    event.programme_published = True
    event.save()
    travel(days_after(event, 90))

    output = purge()

    proposal.refresh_from_db()
    assert (proposal.title, proposal.summary) == (
        "Covoiturage solidaire",
        "Une coopérative rurale.",
    )
    person = proposal.person
    assert (person.first_name, person.last_name, proposal.organisation) == (
        "Ada",
        "Lovelace",
        "Roule Ensemble",
    )
    assert person.email.endswith("@anonymised.invalid")
    assert not OutgoingMail.objects.filter(to="ada@example.org").exists()
    assert (proposal.experience, proposal.needs) == ("", "")
    assert Review.objects.get().comment == ""
    assert proposals.find_by_token("anything") is None
    page = strip_tags(
        client.get(f"/programme/{event.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "Covoiturage solidaire" in page and "Ada Lovelace, Roule Ensemble" in page
    assert "proposals kept in a published programme: 1" in output


# Emails


def test_emails_of_the_day_are_anonymised_and_unsent_ones_deleted(
    event, make_event, travel, delivered
):
    with delivered():
        sign_up(event, email="sent@example.org")
    sign_up(event, email="queued@example.org")  # its mail stays queued: nothing commits
    later = make_event(slug="later", date=days_after(event, 200))
    sign_up(later, email="later@example.org")
    later_mails = set(OutgoingMail.objects.filter(event=later).values_list("pk", "body"))
    travel(days_after(event, 90))

    output = purge()

    day = OutgoingMail.objects.filter(event=event)
    assert day.count() == 2  # the sign-up and the organisers' notice that were sent
    assert set(day.values_list("to", "subject", "body", "status")) == {
        (ANONYMISED_MAIL_TO, "", "", OutgoingMail.Status.SENT)
    }
    assert set(OutgoingMail.objects.filter(event=later).values_list("pk", "body")) == later_mails
    assert "emails deleted unsent: 2" in output
    assert "emails anonymised: 2" in output


def test_emails_about_no_day_are_anonymised_once_retention_days_old(event, settings):
    old, recent = (
        OutgoingMail.objects.create(kind="proposals/links", to=f"{n}@example.org", subject="s")
        for n in ("old", "recent")
    )
    OutgoingMail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=settings.RETENTION_DAYS, minutes=1),
        status=OutgoingMail.Status.SENT,
    )

    purge()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.to == ANONYMISED_MAIL_TO
    assert recent.to == "recent@example.org"


# The command itself


def test_dry_run_counts_and_changes_nothing(event, travel):
    sign_up(event)
    submit(event)
    travel(days_after(event, 90))
    before = snapshot()

    output = purge("--dry-run")

    assert snapshot() == before
    assert output.startswith("Dry run, nothing changed.")
    assert "sign-ups anonymised: 1" in output
    assert "proposals anonymised: 1" in output


def test_the_log_line_gives_counts_without_personal_data(event, travel, caplog):
    sign_up(event, first_name="Ada", email="ada@example.org", wants_news=True)
    travel(days_after(event, 90))

    with caplog.at_level(logging.INFO, logger="iness.privacy"):
        purge()

    [line] = [r.getMessage() for r in caplog.records if r.name == "iness.privacy"]
    assert line.startswith("purge_personal_data: Anonymised the data of days on or before")
    assert "sign-ups anonymised: 1" in line and "news contacts kept: 1" in line
    assert "Ada" not in line and "ada@example.org" not in line


def test_a_second_run_finds_nothing_more(event, travel):
    sign_up(event)
    travel(days_after(event, 90))
    purge()
    after_first = snapshot()

    output = purge()

    assert snapshot() == after_first
    assert "sign-ups anonymised: 0" in output
    assert "emails anonymised: 0" in output
