"""Attendees correct their own details from their private link (issue 15.4); a new address
is verified (a link to the NEW address, confirmed by POST) before it replaces the old one."""

import re

import pytest
from django.utils import timezone

from iness import links
from iness.models import Event, OutgoingMail, Person
from registrations.models import Registration

from .conftest import sign_up

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CHANGE_LINK = re.compile(r"http://testserver(/nouvelle-adresse/[^/\s]+/)")


@pytest.fixture
def attendee(event):
    """A confirmed attendee and the path of their private page."""
    registration = sign_up(event, first_name="Ada", email="ada@example.org").registration
    token = links.rotate(registration)
    return registration, f"/mon-inscription/{token}/"


def details(**overrides) -> dict:
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "organisation": "Coopérative numérique",
        "needs": "",
    }
    data.update(overrides)
    return data


def change_link(to: str) -> str:
    mail = OutgoingMail.objects.filter(to=to, kind="iness/address_change").latest("pk")
    return CHANGE_LINK.search(mail.body).group(1)


def test_the_private_page_offers_to_correct_the_details(client, attendee):
    _registration, page = attendee

    html = client.get(page, **EN).content.decode()

    assert f'href="{page}modifier/"' in html


def test_an_attendee_corrects_names_organisation_and_needs(client, attendee):
    registration, page = attendee

    response = client.post(
        page + "modifier/",
        details(first_name="Augusta Ada", organisation="Analytical Engines", needs="Végétarien"),
        **EN,
    )

    assert response.status_code == 302
    registration = Registration.objects.select_related("person").get(pk=registration.pk)
    assert registration.person.first_name == "Augusta Ada"
    assert (registration.organisation, registration.needs) == ("Analytical Engines", "Végétarien")


def test_a_new_address_is_mailed_a_link_and_the_old_one_stays_until_confirmed(client, attendee):
    registration, page = attendee

    client.post(page + "modifier/", details(email="ada@new.example.org"), **EN)

    person = Person.objects.get(pk=registration.person_id)
    assert person.email == "ada@example.org"
    [mail] = OutgoingMail.objects.filter(kind="iness/address_change")
    assert mail.to == "ada@new.example.org" and mail.person_id == person.pk
    # Opening the link (a mail scanner does) changes nothing.
    assert client.get(change_link("ada@new.example.org"), **EN).status_code == 200
    assert Person.objects.get(pk=person.pk).email == "ada@example.org"


def test_confirming_by_post_replaces_the_address(client, attendee):
    registration, page = attendee
    client.post(page + "modifier/", details(email="ada@new.example.org"), **EN)
    link = change_link("ada@new.example.org")

    response = client.post(link, **EN)

    assert response.status_code == 200
    assert "from now on we write to you at ada@new.example.org" in response.content.decode()
    person = Person.objects.get(pk=registration.person_id)
    assert (person.email, person.email_key) == ("ada@new.example.org", "ada@new.example.org")
    assert client.get(page, **EN).status_code == 200  # the private link keeps working


def test_a_confirmation_link_works_once(client, attendee):
    _registration, page = attendee
    client.post(page + "modifier/", details(email="ada@new.example.org"), **EN)
    link = change_link("ada@new.example.org")
    client.post(link, **EN)

    again = client.post(link, **EN)

    assert again.status_code == 404
    assert "no longer works" in again.content.decode()


def test_a_forged_confirmation_link_changes_nothing(client, attendee):
    registration, _page = attendee

    response = client.post("/nouvelle-adresse/eyJwIjoxfQ:1abc:forged/", **EN)

    assert response.status_code == 404
    assert Person.objects.get(pk=registration.person_id).email == "ada@example.org"


def test_an_address_that_is_someone_else_s_is_refused_at_confirmation(client, event, attendee):
    registration, page = attendee
    sign_up(event, email="grace@example.org")
    client.post(page + "modifier/", details(email="Grace@example.org"), **EN)

    response = client.post(change_link("Grace@example.org"), **EN)

    assert response.status_code == 409
    assert Person.objects.get(pk=registration.person_id).email == "ada@example.org"


def test_details_cannot_change_once_the_day_has_started(client, attendee, event):
    registration, page = attendee
    Event.objects.filter(pk=event.pk).update(date=timezone.localdate(), starts_at="00:00")

    client.post(page + "modifier/", details(first_name="Changed"), **EN)

    assert Person.objects.get(pk=registration.person_id).first_name == "Ada"
