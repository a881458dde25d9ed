"""Erasing a person (iness.erasure.erase_person) reaches everything held about them: their
records (tests/registrations/test_erase.py, tests/proposals/test_erase.py), and here the rest:
the mail filed under them (and with it their budget of mails), the admin's history, sessions,
and "Lost your link?" requests not answered yet."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from backoffice import services as backoffice
from backoffice.models import Audience
from iness.erasure import ERASED_LOG_REPR, erase_person
from iness.models import LinkRequest, OutgoingMail, Person
from iness.privacy import ANONYMISED_MAIL_TO
from iness.sessions import PEOPLE_KEY
from proposals import services as proposals
from registrations import services as registrations
from registrations.models import Registration
from tests import states
from tests.proposals.conftest import proposal_data
from tests.registrations.conftest import person

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def sign_up(event, **overrides) -> Registration:
    return registrations.register(verified=True, event=event, data=person(**overrides)).registration


def test_erasing_one_person_leaves_everyone_else_alone(event, delivered):
    with delivered():
        leaving = sign_up(event, first_name="Ada", email="ada@example.org")
        staying = sign_up(event, first_name="Grace", email="grace@example.org")
    mails = set(OutgoingMail.objects.filter(person=staying.person).values_list("pk", "body"))

    erase_person(leaving.person)

    staying.refresh_from_db()
    assert (staying.person.first_name, staying.person.email) == ("Grace", "grace@example.org")
    assert set(OutgoingMail.objects.filter(person=staying.person).values_list("pk", "body")) == (
        mails
    )


def test_messages_to_attendees_are_filed_under_each_person_and_erased_with_them(
    event, django_user_model, delivered
):
    organiser = django_user_model.objects.create_user(username="claire", password="x" * 16)
    registration = sign_up(event, first_name="Ada", email="ada@example.org")
    sign_up(event, email="grace@example.org")
    with delivered():
        backoffice.send_announcement(
            event=event,
            audience=Audience.CONFIRMED,
            subject="Plan d'accès",
            body="Bonjour à toutes et tous.",
            by=organiser,
        )
    [copy] = OutgoingMail.objects.filter(kind="announcement", to="ada@example.org")
    assert copy.person == registration.person

    erase_person(registration.person)

    copy.refresh_from_db()
    assert (copy.to, copy.subject, copy.body) == (ANONYMISED_MAIL_TO, "", "")
    assert OutgoingMail.objects.filter(kind="announcement", to="grace@example.org").exists()


def test_the_admin_history_of_the_persons_rows_loses_its_text(admin_client, event):
    registration = sign_up(event, first_name="Ada", last_name="Lovelace", email="ada@example.org")
    url = reverse("admin:registrations_registration_change", args=[registration.pk])
    admin_client.post(
        url,
        {"organisation": "Analytical Engines", "organisation_kind": "ess", "profile": "both"},
    )
    person_url = reverse("admin:iness_person_change", args=[registration.person_id])
    admin_client.post(
        person_url,
        {
            "first_name": "Ada",
            "last_name": "King",
            "email": "ada@example.org",
            "language": "en",
        },
    )
    entries = LogEntry.objects.order_by("pk")
    assert [e.object_repr for e in entries] == [
        "Ada Lovelace <ada@example.org>",
        "Ada King <ada@example.org>",
    ]
    other = LogEntry.objects.log_actions(
        user_id=entries[0].user_id, queryset=[event], action_flag=2, change_message="capacity"
    )

    erase_person(registration.person)

    for entry in LogEntry.objects.exclude(pk__in=[e.pk for e in other]):
        assert (entry.object_repr, entry.change_message) == (ERASED_LOG_REPR, "")
    assert LogEntry.objects.filter(change_message="capacity").count() == 1


def test_the_result_page_keeps_no_address_in_the_session_and_erasure_deletes_it(client):
    path = states.signup_form()
    client.post(path, states.signup_form_data(email="zoe@example.org"), **EN)
    [session] = Session.objects.all()
    data = session.get_decoded()
    registration = Registration.objects.get()
    assert "zoe@example.org" not in str(data)
    assert data[PEOPLE_KEY] == [registration.person_id]
    assert "zoe@example.org" in client.get(path + "merci/", **EN).content.decode()

    erase_person(registration.person)

    assert not Session.objects.exists()
    assert client.get(path + "merci/", **EN).status_code == 302


def test_a_proposal_result_keeps_no_address_in_the_session_either(client):
    path = states.proposal_form()
    client.post(path, states.proposal_form_data(email="amina@example.org"), **EN)

    [session] = Session.objects.all()
    assert "amina@example.org" not in str(session.get_decoded())


def test_erasure_leaves_no_mail_budget_behind_the_address(
    rate_limits, event, delivered, mailoutbox
):
    form = reverse("registrations:register", args=[event.slug])
    data = states.signup_form_data(email="ada@example.org")

    def post(n: int) -> None:
        Client().post(form, data, REMOTE_ADDR=f"203.0.113.{n}")

    with delivered():
        for n in range(6):
            post(n)
    assert len([m for m in mailoutbox if m.to == ["ada@example.org"]]) == 5

    erase_person(Person.objects.get())
    with delivered():
        post(7)

    assert len([m for m in mailoutbox if m.to == ["ada@example.org"]]) == 6


def test_erasure_deletes_the_lost_link_requests_for_the_address_not_answered_yet(client, event):
    registration = sign_up(event, email="ada@example.org")
    for address in ("Ada@Example.org", "grace@example.org"):
        client.post(reverse("lost_link"), {"email": address}, **EN)
    assert LinkRequest.objects.count() == 2

    erase_person(registration.person)

    assert list(LinkRequest.objects.values_list("email", flat=True)) == ["grace@example.org"]


def test_the_delete_page_lists_everything_that_will_be_erased(client, event):
    registration = sign_up(event, email="ada@example.org")
    proposals.submit(event=event, data=proposal_data(email="ada@example.org", title="Cartes"))
    path = states.private_path(registration, "registrations:delete_data")

    page = client.get(path, **EN).content.decode()

    assert "This erases everything we hold about you, not only what this page shows" in page
    assert "Your sign-up for “Test day”" in page
    assert "the seat you hold goes to the next person on the waiting list" in page
    assert "Your proposal “Cartes”" in page
    assert "is withdrawn, then erased" in page


def test_deleting_from_the_sign_up_link_erases_the_proposal_too(client, event):
    registration = sign_up(event, email="ada@example.org")
    proposal = proposals.submit(event=event, data=proposal_data(email="ada@example.org")).proposal

    client.post(states.private_path(registration, "registrations:delete_data"))

    proposal.refresh_from_db()
    assert proposal.title == "" and proposal.status == "withdrawn"
    assert Person.objects.get().is_erased
