"""Organisers add people, check them in, release certificates and read feedback."""

import pytest
from django.urls import reverse

from registrations import services
from registrations.models import Registration
from tests.day.conftest import make_past, make_today, mark_present

from .conftest import sign_up

pytestmark = pytest.mark.django_db

Status = Registration.Status


def add_form(event, **overrides):
    return {
        "event": event.pk,
        "first_name": "Zoé",
        "last_name": "Martin",
        "email": "zoe@example.org",
        "organisation": "La Ruche",
        "organisation_kind": "ess",
        "profile": "practitioner",
        "needs": "",
        "language": "fr",
        **overrides,
    }


ADD = reverse("admin:registrations_registration_add")


def test_organiser_adds_a_sign_up_from_the_admin(organiser_client, event, mailoutbox, delivered):
    with delivered():
        response = organiser_client.post(ADD, add_form(event), follow=True)

    registration = Registration.objects.get()
    assert registration.status == Status.CONFIRMED
    assert registration.person.full_name == "Zoé Martin"
    assert "has a seat and has been emailed" in response.content.decode()
    assert mailoutbox[0].to == ["zoe@example.org"]


def test_admin_add_says_why_beside_the_form_when_the_person_is_signed_up(organiser_client, event):
    sign_up(event, email="zoe@example.org")

    response = organiser_client.post(ADD, add_form(event, email="ZOE@example.org"))

    assert response.status_code == 200
    assert "already signed up for this day" in response.content.decode()
    assert Registration.objects.count() == 1


def test_admin_add_form_shows_a_bad_address_beside_the_field(organiser_client, event):
    response = organiser_client.post(ADD, add_form(event, email="not an address"))

    assert response.status_code == 200
    assert not Registration.objects.exists()


def check_in_url(event):
    return reverse("admin:iness_event_check_in", args=[event.pk])


def test_check_in_page_lists_confirmed_attendees_with_counts(organiser_client, event):
    present = sign_up(event, last_name="Zola")
    sign_up(event, last_name="Arendt")
    make_today(event)
    mark_present(present)

    page = organiser_client.get(check_in_url(event)).content.decode()

    assert "Present: 1 of 2 expected" in page
    assert page.index("Arendt") < page.index("Zola")
    assert "Undo" in page and "Mark present" in page


def test_one_tap_marks_present_and_comes_back_to_the_row(organiser_client, event):
    registration = sign_up(event)
    make_today(event)

    response = organiser_client.post(
        reverse("admin:iness_event_check_in_mark", args=[event.pk, registration.pk]), {"q": "Ada"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"?q=Ada#r{registration.pk}")
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None


def test_undo_tap_takes_presence_back(organiser_client, event):
    registration = sign_up(event)
    make_today(event)
    mark_present(registration)

    organiser_client.post(
        reverse("admin:iness_event_check_in_mark", args=[event.pk, registration.pk]),
        {"present": "no"},
    )

    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_check_in_search_keeps_only_matching_names(organiser_client, event):
    sign_up(event, last_name="Zola")
    sign_up(event, last_name="Arendt")
    make_today(event)

    page = organiser_client.get(check_in_url(event), {"q": "zol"}).content.decode()

    assert "Zola" in page and "Arendt" not in page


def test_walk_in_is_added_and_marked_present(organiser_client, event):
    make_today(event)
    form = add_form(event)
    del form["event"]

    organiser_client.post(reverse("admin:iness_event_walk_in", args=[event.pk]), form)

    registration = Registration.objects.get()
    assert registration.status == Status.CONFIRMED
    assert registration.checked_in_at is not None


def test_walk_in_on_a_full_day_is_refused_with_a_message(organiser_client, make_event):
    event = make_event(capacity=1)
    sign_up(event)
    make_today(event)
    form = add_form(event)
    del form["event"]

    response = organiser_client.post(reverse("admin:iness_event_walk_in", args=[event.pk]), form)

    assert "Raise the capacity" in response.content.decode()
    assert Registration.objects.count() == 1


def test_release_button_mails_certificates(organiser_client, event, mailoutbox, delivered):
    registration = sign_up(event)
    make_past(event)
    mark_present(registration)
    page = organiser_client.get(check_in_url(event)).content.decode()
    assert "Release the certificates" in page

    with delivered():
        organiser_client.post(reverse("admin:iness_event_release_certificates", args=[event.pk]))

    assert [m.subject for m in mailoutbox] == [
        f"Your certificate of attendance for the INESS day of {event.date:%A} "
        f"{event.date.day} {event.date:%B %Y}"
    ]


def test_feedback_summary_shows_averages_and_comments(organiser_client, event):
    first, second = sign_up(event), sign_up(event)
    make_past(event)
    data = {"overall": 4, "exchanges": 5, "organisation": 3}
    services.give_feedback(
        registration=first, data=services.FeedbackData(**data, comment="Très riche.")
    )
    services.give_feedback(registration=second, data=services.FeedbackData(**data | {"overall": 5}))

    page = organiser_client.get(
        reverse("admin:iness_event_feedback", args=[event.pk])
    ).content.decode()

    assert "2 answers" in page
    assert "4.5" in page
    assert "Très riche." in page
    assert first.person.last_name not in page


def test_presence_is_in_the_sign_ups_export(organiser_client, event):
    from .conftest import action

    registration = sign_up(event)
    make_today(event)
    mark_present(registration)

    response = action(
        organiser_client, "registrations.registration", "export_csv", [registration], follow=False
    )

    header, row = response.content.decode("utf-8-sig").splitlines()[:2]
    assert header.endswith("present at")
    assert row.split(",")[-1] != ""


def test_committee_reads_the_slides_from_the_proposal_page(organiser_client, event):
    from proposals import services as proposals
    from proposals.models import Proposal
    from tests.day.test_slides import pdf_bytes
    from tests.proposals.conftest import accepted

    proposal = accepted(event)
    proposals.slides.upload(proposal=proposal, content=pdf_bytes(), public=False)

    page = organiser_client.get(
        reverse("admin:proposals_proposal_change", args=[proposal.pk])
    ).content.decode()
    response = organiser_client.get(reverse("admin:proposals_proposal_slides", args=[proposal.pk]))

    assert "not shown" in page
    assert response.content.startswith(b"%PDF-")
    assert Proposal.objects.count() == 1
