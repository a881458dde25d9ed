""" "Delete my data" in the browser: the private pages, the confirmation and the page after,
with JavaScript off, checked by axe-core and the HTML checker in both languages."""

import re

import pytest
from django.core import mail

from iness.models import Event
from proposals import services as proposals
from proposals.models import Proposal
from registrations import services as registrations
from registrations.models import Registration
from tests.browser.a11y import (
    DocumentRecorder,
    assert_fits_width,
    assert_no_axe_violations,
    assert_valid_html,
)
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import build_event, deliver_mail
from tests.proposals.conftest import proposal_data
from tests.registrations.conftest import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["fr", "en"]
REGISTRATION_LINK = re.compile(r"https?://[^\s/]+(/mon-inscription/[A-Za-z0-9_-]+/)")
PROPOSAL_LINK = re.compile(r"https?://[^\s/]+(/ma-proposition/[A-Za-z0-9_-]+/)")


def _event() -> Event:
    return Event.objects.first() or build_event()


def _link(email: str, pattern: re.Pattern) -> str:
    """The link of the latest mail to `email`, as received: links are minted when sent."""
    deliver_mail()
    return [pattern.search(m.body).group(1) for m in mail.outbox if m.to == [email]][-1]


def registration_link() -> str:
    outcome = registrations.register(verified=True, event=_event(), data=person())
    return _link(outcome.registration.person.email, REGISTRATION_LINK)


def proposal_link() -> str:
    outcome = proposals.submit(event=_event(), data=proposal_data(email=person().email))
    return _link(outcome.proposal.person.email, PROPOSAL_LINK)


def _confirm(page) -> None:
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()


# Each state leaves the browser on one page; the checks below run on each.


def registration_page(page, base_url):
    page.goto(base_url + registration_link())


def registration_delete(page, base_url):
    page.goto(base_url + registration_link() + "supprimer-mes-donnees/")


def registration_deleted(page, base_url):
    registration_delete(page, base_url)
    _confirm(page)
    assert page.url.endswith("/donnees-supprimees/inscription/")


def proposal_page(page, base_url):
    page.goto(base_url + proposal_link())


def proposal_delete(page, base_url):
    page.goto(base_url + proposal_link() + "supprimer-mes-donnees/")


def proposal_deleted(page, base_url):
    proposal_delete(page, base_url)
    _confirm(page)
    assert page.url.endswith("/donnees-supprimees/proposition/")


STATES = [
    registration_page,
    registration_delete,
    registration_deleted,
    proposal_page,
    proposal_delete,
    proposal_deleted,
]


@pytest.mark.parametrize("width", [DESKTOP["width"], PHONE["width"]], ids=lambda w: f"{w}px")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", STATES, ids=lambda s: s.__name__)
def test_delete_my_data_pages_have_no_accessibility_violation(
    make_page, live_server, state, language, width
):
    page = make_page(language=language, width=width)

    state(page, live_server.url)

    assert page.locator("html").get_attribute("lang") == language
    assert_no_axe_violations(page)
    assert_fits_width(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_delete_my_data_pages_are_valid_html(make_page, live_server, language):
    documents = {}
    for state in STATES:
        page = make_page(language=language)
        recorder = DocumentRecorder(page)
        state(page, live_server.url)
        documents[f"{state.__name__} ({language})"] = recorder.last_html()

    assert_valid_html(documents)


def test_attendee_deletes_their_data_without_javascript(make_page, live_server):
    event = build_event(capacity=1)
    registrations.register(verified=True, event=event, data=person(email="ada@example.org"))
    waiting = registrations.register(verified=True, event=event, data=person()).registration
    link = _link("ada@example.org", REGISTRATION_LINK)
    page = make_page(javascript=False)

    page.goto(live_server.url + link)
    page.get_by_role("link", name="Delete my data").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Delete your data?"
    page.get_by_role("button", name="Yes, delete my data").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Your data is deleted"
    assert not Registration.objects.filter(person__email="ada@example.org").exists()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED
    # Asked outside the page: a 404 document counts as a console error in the page.
    again = page.context.request.get(live_server.url + link)
    assert again.status == 404
    assert "This link does not work" in again.text()


def test_speaker_deletes_their_data_without_javascript(make_page, live_server):
    proposals.submit(event=build_event(), data=proposal_data(email="ada@example.org"))
    link = _link("ada@example.org", PROPOSAL_LINK)
    page = make_page(javascript=False)

    page.goto(live_server.url + link)
    page.get_by_role("link", name="Delete my data").click()
    page.get_by_role("button", name="Yes, delete my data").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Your data is deleted"
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.WITHDRAWN and proposal.title == ""
