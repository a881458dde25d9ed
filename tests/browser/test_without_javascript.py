"""The public forms work with JavaScript turned off: errors, then success."""

import pytest

from proposals.models import Proposal
from registrations.models import Registration
from tests import states
from tests.browser.public_pages import fill_proposal_form, fill_signup_form, submit_main_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_without_javascript_shows_errors_then_signs_up(make_page, live_server):
    page = make_page(language="fr", javascript=False)
    page.goto(live_server.url + states.signup_form())

    submit_main_form(page)
    assert page.locator(".error-summary li").count() == 7
    fill_signup_form(page, email="zoe@example.org")

    assert page.url.endswith("/merci/")
    assert Registration.objects.get().person.email == "zoe@example.org"


def test_proposal_without_javascript_shows_errors_then_is_received(make_page, live_server):
    page = make_page(language="en", javascript=False)
    page.goto(live_server.url + states.proposal_form())

    submit_main_form(page)
    assert page.locator(".error-summary li").count() >= 10
    fill_proposal_form(page, email="amina@example.org", also_register=False)

    assert page.url.endswith("/envoyee/")
    assert Proposal.objects.get().person.email == "amina@example.org"
