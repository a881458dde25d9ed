"""Consent to the privacy notice, recorded with its time and version; the optional news box
apart from it; and how the forms tell people what they need (issue 6)."""

import re

import pytest
from django.utils import timezone

from iness.models import Person
from iness.privacy import PRIVACY_NOTICE_VERSION
from proposals.models import Proposal
from registrations.models import Registration
from tests import states

from .conftest import EN

pytestmark = pytest.mark.django_db

FORMS = {
    "sign-up": (states.signup_form, states.signup_form_data, Registration),
    "proposal": (states.proposal_form, states.proposal_form_data, Proposal),
}


def _input(page: str, name: str) -> str:
    [tag] = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return tag


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_consent_is_recorded_with_its_time_and_the_notice_version(client, form):
    path_maker, data_maker, model = form
    before = timezone.now()

    client.post(path_maker(), data_maker(), **EN)

    person = model.objects.get().person
    assert before <= person.consent_at <= timezone.now()
    assert person.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert person.wants_news is False


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_news_box_is_unticked_and_apart_from_the_consent(client, form):
    path_maker, _data, _model = form

    page = client.get(path_maker(), **EN).content.decode()

    news, consent = _input(page, "wants_news"), _input(page, "consent")
    assert "checked" not in news and "required" not in news
    assert "checked" not in consent and "required" in consent
    assert "Tell me about future INESS days" in page


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_ticking_the_news_box_is_recorded_apart_from_the_consent(client, form):
    path_maker, data_maker, model = form

    client.post(path_maker(), data_maker(wants_news="on"), **EN)

    person = model.objects.get().person
    assert person.wants_news is True
    assert person.privacy_notice_version == PRIVACY_NOTICE_VERSION


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_the_news_box_alone_is_not_consent_to_the_notice(client, unchanged, form):
    path_maker, data_maker, _model = form

    with unchanged():
        response = client.post(path_maker(), data_maker(consent=None, wants_news="on"), **EN)

    assert 'id="error_1_id_consent"' in response.content.decode()


def test_a_speaker_signed_up_with_the_proposal_has_the_same_consent_and_news_choice(client):
    client.post(
        states.proposal_form(),
        states.proposal_form_data(also_register="on", wants_news="on"),
        **EN,
    )

    proposal, registration = Proposal.objects.get(), Registration.objects.get()
    assert proposal.registration == registration
    assert registration.person == proposal.person
    assert registration.person.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert registration.person.consent_at is not None
    assert registration.person.wants_news is True


def test_changing_a_proposal_keeps_its_consent_and_news_choice(client):
    path = states.proposal_page("submitted", "edit")
    Person.objects.update(wants_news=True)
    consent_at = Person.objects.get().consent_at

    client.post(path, states.proposal_form_data(title="Autre titre"), **EN)

    proposal = Proposal.objects.get()
    assert proposal.title == "Autre titre"
    assert (proposal.person.wants_news, proposal.person.consent_at) == (True, consent_at)


@pytest.mark.parametrize(
    ("page_maker", "model"),
    [
        (lambda: states.registration_page("confirmed"), Registration),
        (lambda: states.proposal_page("submitted"), Proposal),
    ],
    ids=["sign-up", "proposal"],
)
def test_private_page_shows_the_news_choice(client, page_maker, model):
    path = page_maker()
    Person.objects.update(wants_news=True)

    page = client.get(path, **EN).content.decode()

    assert re.search(r"News of future INESS days</dt>\s*<dd[^>]*>yes</dd>", page)


# What the forms tell people


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_short_privacy_notice_is_beside_the_consent_box_and_read_with_it(client, form):
    path_maker, _data, _model = form

    page = client.get(path_maker(), **EN).content.decode()

    consent = _input(page, "consent")
    assert 'aria-describedby="id_consent_helptext"' in consent
    helptext = page.split('id="id_consent_helptext"', 1)[1].split("</div>", 1)[0]
    assert 'id="privacy-short"' in helptext
    assert "Only the organising committee reads them" in helptext
    assert 'href="/confidentialite/"' in helptext


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_consent_error_is_read_with_the_box_and_the_notice(client, form):
    path_maker, data_maker, _model = form

    page = client.post(path_maker(), data_maker(consent=None), **EN).content.decode()

    consent = _input(page, "consent")
    assert 'aria-describedby="id_consent_helptext id_consent_error"' in consent
    assert 'aria-invalid="true"' in consent


@pytest.mark.parametrize(
    "path_maker",
    [states.signup_form, states.proposal_form, lambda: states.proposal_page("submitted", "edit")],
    ids=["sign-up", "proposal", "proposal change"],
)
def test_forms_leave_checking_to_the_server_and_mark_required_fields_in_words(client, path_maker):
    page = client.get(path_maker(), **EN).content.decode()
    main = page.split("<main", 1)[1]

    [form_tag] = [tag for tag in re.findall(r"<form[^>]*>", main) if 'method="post"' in tag]
    assert "novalidate" in form_tag
    assert "Fields marked with an asterisk (*) are required." in main
    assert '<span class="asteriskField">*</span>' in main


@pytest.mark.parametrize(
    ("path_maker", "title", "radios", "label"),
    [
        (states.signup_form, "Error: Sign up · Test day · INESS", "profile", "You are"),
        (
            states.proposal_form,
            "Error: Propose a talk or a round table · INESS",
            "format",
            "Format",
        ),
        (
            lambda: states.proposal_page("submitted", "edit"),
            "Error: Change my proposal · INESS",
            "format",
            "Format",
        ),
    ],
    ids=["sign-up", "proposal", "proposal change"],
)
def test_a_form_with_errors_says_so_in_the_title_and_links_each_error_to_its_field(
    client, path_maker, title, radios, label
):
    response = client.post(path_maker(), {radios: "astronaut"}, **EN)
    page = response.content.decode()
    summary = page.split('<div class="alert alert-danger error-summary" role="alert"', 1)[1]
    summary = summary.split("</div>", 1)[0]

    assert f"<title>{title}</title>" in page
    assert '<a href="#id_first_name">First name: This field is required.</a>' in summary
    # A group of radio buttons links to its first button.
    assert f'<a href="#id_{radios}_0">{label}: Select a valid choice.' in summary
    assert 'aria-describedby="id_first_name_error"' in page
    assert summary.count("<li>") == len(response.context["form"].errors)


def test_french_form_with_errors_is_in_french(client):
    page = client.post(states.signup_form(), {}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "<title>Erreur\u00a0:" in page
    assert "Veuillez corriger ce qui suit\u00a0:" in page
