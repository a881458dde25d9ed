"""The empty sign-up form is rendered once and reused: it must still work for everyone.

Rendering the form's fields was most of the form page's cost (the profile in the README), and
in a burst everybody loads that page. The reused part holds no CSRF token and nothing about
the visitor; these tests show that each visitor's own token still works, that the button
follows the seats left, and that a refused submission shows its own errors and values.
"""

import re

import pytest
from django.test import Client

from registrations.models import Registration
from tests.registrations.conftest import fill

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_data(email: str, **overrides) -> dict:
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": email,
        "organisation": "Coopérative numérique",
        "organisation_kind": "ess",
        "profile": "both",
        "consent": "on",
    }
    data.update(overrides)
    return data


def sign_up_as_a_browser(url: str, email: str):
    """GET the form, POST it back with the token from the page, as a browser does."""
    browser = Client(enforce_csrf_checks=True, **EN)
    page = browser.get(url).content.decode()
    tokens = TOKEN.findall(page)
    # The language switch and the sign-up form: one token each, both the visitor's own.
    assert len(tokens) == 2
    return browser.post(url, {**form_data(email), "csrfmiddlewaretoken": tokens[-1]})


def test_every_visitor_gets_a_form_whose_token_works(event):
    url = f"/inscription/{event.slug}/"

    responses = [sign_up_as_a_browser(url, f"person{n}@example.org") for n in range(3)]

    assert [response.status_code for response in responses] == [302, 302, 302]
    assert Registration.objects.filter(event=event).count() == 3


def test_the_button_says_waiting_list_once_the_seats_are_gone(client, event):
    url = f"/inscription/{event.slug}/"
    assert 'value="Sign up"' in client.get(url, **EN).content.decode()

    fill(event, event.capacity)

    page = client.get(url, **EN).content.decode()
    assert 'value="Join the waiting list"' in page
    assert 'value="Sign up"' not in page


def test_a_refused_form_shows_its_own_errors_and_values(client, event):
    url = f"/inscription/{event.slug}/"
    client.get(url, **EN)  # the empty form is now reused

    response = client.post(url, form_data("not an address", first_name="Grace"), **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address" in page
    assert 'value="Grace"' in page
    assert not Registration.objects.exists()
