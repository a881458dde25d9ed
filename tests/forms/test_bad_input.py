"""Hostile or broken input on the public forms: a message beside the field or a 4xx page,
never a 500, and no row created or changed."""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from iness.forms import LostLinkForm
from iness.models import Person
from proposals.forms import ProposalEditForm, ProposalForm
from proposals.models import Proposal
from registrations.forms import RegistrationForm
from registrations.models import Registration
from tests import states

from .conftest import EN

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class PublicForm:
    name: str
    prepare: Callable[[], tuple[str, dict]]
    single_line: tuple[str, ...]
    multi_line: tuple[str, ...]
    choices: tuple[str, ...]

    def __str__(self):
        return self.name


def _proposal_change():
    return states.proposal_page("submitted", "edit"), states.proposal_form_data()


SIGNUP = PublicForm(
    "sign-up",
    lambda: (states.signup_form(), states.signup_form_data()),
    ("first_name", "last_name", "email", "organisation"),
    ("interests", "needs"),
    ("organisation_kind", "profile"),
)
PROPOSAL = PublicForm(
    "proposal",
    lambda: (states.proposal_form(), states.proposal_form_data()),
    ("title", "first_name", "last_name", "email", "organisation"),
    ("summary", "experience", "needs"),
    ("format", "organisation_kind", "profile"),
)
PROPOSAL_CHANGE = PublicForm(
    "proposal change",
    _proposal_change,
    ("title", "first_name", "last_name", "organisation"),
    ("summary", "experience", "needs"),
    ("format", "organisation_kind", "profile"),
)
FORMS = [SIGNUP, PROPOSAL, PROPOSAL_CHANGE]
# What every form asks of the person, kept on their Person.
PERSON_FIELDS = {"first_name", "last_name", "email"}


def _fields(kind: str):
    return [(form, field) for form in FORMS for field in getattr(form, kind)]


def _ids(value):
    return str(value)


def assert_refused_beside(response, field: str, message: str = "") -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="error_1_id_{field}"' in page, f"no error beside {field}"
    assert f'<a href="#id_{field}' in page, "the summary does not link to the field"
    if message:
        assert message in page


# Lengths


def _public_forms(event):
    proposal = states.proposal_in("submitted", event=event)
    return [
        RegistrationForm(),
        ProposalForm(event=event),
        ProposalEditForm(instance=proposal, event=event),
        LostLinkForm(),
    ]


def test_every_text_field_of_every_public_form_has_a_maximum_length(event):
    for form in _public_forms(event):
        for name, field in form.fields.items():
            if hasattr(field, "max_length"):
                assert field.max_length, f"{type(form).__name__}.{name} has no maximum length"
                assert form[name].field.widget_attrs(field.widget).get("maxlength") is not None


@pytest.mark.parametrize(
    ("form", "field"), _fields("single_line") + _fields("multi_line"), ids=_ids
)
def test_text_over_the_maximum_length_is_refused_beside_the_field(client, unchanged, form, field):
    path, data = form.prepare()
    model = Person if field in PERSON_FIELDS else Registration if form is SIGNUP else Proposal
    limit = model._meta.get_field(field).max_length
    value = "x" * (limit + 1) if field != "email" else "a" * limit + "@example.org"

    with unchanged():
        response = client.post(path, {**data, field: value}, **EN)

    assert_refused_beside(response, field, f"at most {limit} characters")


# Characters no person types


@pytest.mark.parametrize(
    ("form", "field"), _fields("single_line") + _fields("multi_line"), ids=_ids
)
def test_a_nul_byte_is_refused_beside_the_field(client, unchanged, form, field):
    path, data = form.prepare()
    value = data[field][:3] + "\x00" + data[field][3:] if data[field] else "a\x00b"

    with unchanged():
        response = client.post(path, {**data, field: value}, **EN)

    assert_refused_beside(response, field, "Null characters are not allowed.")


@pytest.mark.parametrize("character", ["\x1b", "\x08", "\x07", "\x7f", "\x85"])
@pytest.mark.parametrize(
    ("form", "field"), _fields("single_line") + _fields("multi_line"), ids=_ids
)
def test_control_characters_are_refused_beside_the_field(client, unchanged, form, field, character):
    path, data = form.prepare()

    with unchanged():
        response = client.post(path, {**data, field: f"Ada{character}Lovelace"}, **EN)

    assert_refused_beside(response, field, "invisible characters")


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r", "\u2028", "\u2029", "\t"])
@pytest.mark.parametrize(("form", "field"), _fields("single_line"), ids=_ids)
def test_one_line_fields_refuse_line_breaks(client, unchanged, form, field, line_break):
    path, data = form.prepare()
    value = {"email": f"ada@example.org{line_break}bcc@example.org"}.get(
        field, f"Ada{line_break}Bcc: eve@example.org"
    )

    with unchanged():
        response = client.post(path, {**data, field: value}, **EN)

    assert response.status_code == 200
    assert f'id="error_1_id_{field}"' in response.content.decode()


@pytest.mark.parametrize(
    "character",
    ["\u202e", "\u2066", "\u200f", "\ufeff", "\u00ad", "\u200b", "\U000e0041"],
    ids=["bidi override", "bidi isolate", "rtl mark", "BOM", "soft hyphen", "zwsp", "tag"],
)
@pytest.mark.parametrize(("form", "field"), _fields("single_line"), ids=_ids)
def test_one_line_fields_refuse_format_characters_beside_the_field(
    client, unchanged, form, field, character
):
    path, data = form.prepare()
    value = {"email": f"ada{character}@example.org"}.get(field, f"Ada{character}Lovelace")

    with unchanged():
        response = client.post(path, {**data, field: value}, **EN)

    message = "invisible character" if field == "email" else "invisible formatting character"
    assert_refused_beside(response, field, message)


@pytest.mark.parametrize("value", ["\u200dAda", "Ada\u200c"])
def test_a_joiner_at_either_end_of_a_name_is_refused(client, unchanged, value):
    path, data = SIGNUP.prepare()

    with unchanged():
        response = client.post(path, {**data, "first_name": value}, **EN)

    assert_refused_beside(response, "first_name", "invisible formatting character")


def test_names_written_with_joiners_are_welcome(client):
    path, data = SIGNUP.prepare()
    persian = "\u0645\u06cc\u200c\u0646\u0627"  # a zero-width non-joiner inside the word

    response = client.post(path, {**data, "first_name": persian}, **EN)

    assert response.status_code == 302
    assert Person.objects.get().first_name == persian


def test_paragraphs_keep_their_line_breaks_and_tabs(client):
    path, data = SIGNUP.prepare()

    client.post(path, {**data, "interests": "Un :\r\n\t- les données\r\n\t- la gouvernance"}, **EN)

    assert Registration.objects.get().interests == "Un :\r\n\t- les données\r\n\t- la gouvernance"


# Choices and types


@pytest.mark.parametrize("value", ["astronaut", "", "CONFIRMED", "ess ", "1", "\u0000"])
@pytest.mark.parametrize(("form", "field"), _fields("choices"), ids=_ids)
def test_unknown_choices_are_refused_beside_the_field(client, unchanged, form, field, value):
    path, data = form.prepare()

    with unchanged():
        response = client.post(path, {**data, field: value}, **EN)

    assert_refused_beside(response, field)


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_an_empty_post_says_what_is_missing(client, unchanged, form):
    path, _data = form.prepare()

    with unchanged():
        response = client.post(path, {}, **EN)

    assert_refused_beside(response, form.single_line[0], "This field is required.")


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_a_json_body_is_not_taken_for_the_form(client, unchanged, form):
    path, data = form.prepare()

    with unchanged():
        response = client.post(path, json.dumps(data), content_type="application/json", **EN)

    assert_refused_beside(response, form.single_line[0], "This field is required.")


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_a_file_in_place_of_a_field_is_refused_with_400(client, unchanged, form):
    path, data = form.prepare()
    field = form.single_line[0]
    upload = SimpleUploadedFile("name.txt", b"Ada", content_type="text/plain")

    with unchanged():
        response = client.post(path, {**data, field: upload}, **EN)

    # No public form takes files (iness.middleware): refused before it is stored anywhere.
    assert response.status_code == 400


def test_repeated_fields_keep_one_value(client):
    path, data = SIGNUP.prepare()

    client.post(path, {**data, "first_name": ["Ada", "Mallory"], "profile": ["x", "both"]}, **EN)

    registration = Registration.objects.get()
    assert (registration.person.first_name, registration.profile) == ("Mallory", "both")


# Bodies the server refuses


def _private_actions():
    return [
        ("sign-up cancellation", lambda: (states.registration_page("confirmed", "cancel"), {})),
        ("seat offer accepted", lambda: (states.registration_page("offered", "accept"), {})),
        ("seat offer declined", lambda: (states.registration_page("offered", "decline"), {})),
        ("proposal withdrawal", lambda: (states.proposal_page("submitted", "withdraw"), {})),
        ("proposal confirmation", lambda: (states.proposal_page("accepted", "confirm"), {})),
    ]


ALL_POSTS = [(form.name, form.prepare) for form in FORMS] + _private_actions()


@pytest.mark.parametrize(("name", "prepare"), ALL_POSTS, ids=[name for name, _ in ALL_POSTS])
def test_an_oversized_body_gets_the_bad_request_page(client, settings, unchanged, name, prepare):
    path, data = prepare()
    # Django's limit (2.5 MB by default) lowered so that the test posts little.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000

    with unchanged():
        response = client.post(path, {**data, "padding": "x" * 30_000}, **EN)

    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()


@pytest.mark.parametrize(("name", "prepare"), ALL_POSTS, ids=[name for name, _ in ALL_POSTS])
def test_too_many_fields_get_the_bad_request_page(client, unchanged, name, prepare):
    path, data = prepare()
    flood = {f"field{i}": "x" for i in range(1100)}  # Django allows 1000

    with unchanged():
        response = client.post(path, {**data, **flood}, **EN)

    assert response.status_code == 400


@pytest.mark.parametrize(("name", "prepare"), ALL_POSTS, ids=[name for name, _ in ALL_POSTS])
def test_a_post_without_its_security_token_changes_nothing(unchanged, name, prepare):
    path, data = prepare()

    with unchanged():
        response = Client(enforce_csrf_checks=True).post(path, data, **EN)

    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()


@pytest.mark.parametrize(("name", "prepare"), ALL_POSTS, ids=[name for name, _ in ALL_POSTS])
def test_a_post_with_a_forged_security_token_changes_nothing(unchanged, name, prepare):
    path, data = prepare()
    client = Client(enforce_csrf_checks=True)
    client.get(path)  # the browser gets its own token cookie
    forged = "x" * 64

    with unchanged():
        response = client.post(path, {**data, "csrfmiddlewaretoken": forged}, **EN)

    assert response.status_code == 403


@pytest.mark.parametrize(("name", "prepare"), ALL_POSTS, ids=[name for name, _ in ALL_POSTS])
def test_other_methods_are_refused(client, unchanged, name, prepare):
    path, data = prepare()

    with unchanged():
        statuses = {client.generic(method, path).status_code for method in ["PUT", "DELETE"]}

    assert statuses == {405}


@pytest.mark.parametrize(
    "path",
    [
        "/inscription/%00/",
        "/inscription/journee%0Atest/",
        "/mon-inscription/%00/",
        "/mon-inscription/%F0%9F%A6%84/annuler/",
        "/mon-inscription/" + "a" * 5000 + "/",
        "/ma-proposition/%00/modifier/",
        "/ma-proposition/..%2F..%2Fadmin/",
        "/proposition/journ%C3%A9e/",
        "/programme/%FF/",
    ],
)
def test_broken_addresses_get_a_not_found_page(client, event, unchanged, path):
    with unchanged():
        statuses = {client.get(path).status_code, client.post(path, {}).status_code}

    assert statuses == {404}


# Forged fields


def test_a_forged_status_event_or_consent_in_a_sign_up_is_ignored(client):
    full = states.full_signup_form()
    other = states.new_event()
    slug = full.strip("/").split("/")[-1]
    forged = {
        "status": "confirmed",
        "event": other.pk,
        "event_id": other.pk,
        "consent_at": "2000-01-01T00:00:00Z",
        "privacy_notice_version": "forged",
        "token_hash": "0" * 64,
        "created_at": "2000-01-01T00:00:00Z",
        "language": "xx",
    }

    response = client.post(full, {**states.signup_form_data(email="zoe@example.org"), **forged})

    registration = Registration.objects.get(person__email="zoe@example.org")
    assert response.status_code == 302
    assert registration.event.slug == slug
    assert registration.status == Registration.Status.WAITLISTED
    assert registration.person.privacy_notice_version != "forged"
    assert registration.person.consent_at.year > 2000
    assert registration.token_hash != "0" * 64
    assert registration.created_at.year > 2000
    assert registration.person.language in {"fr", "en"}
    assert not other.registrations.exists()


def test_a_forged_status_or_event_in_a_proposal_is_ignored(client):
    path = states.proposal_form()
    other = states.new_event()
    someone = states.registration_in("confirmed")
    forged = {
        "status": "accepted",
        "event": other.pk,
        "registration": someone.pk,
        "decided_at": "2000-01-01T00:00:00Z",
        "decision_notified_at": "2000-01-01T00:00:00Z",
        "token_hash": "0" * 64,
    }

    response = client.post(path, {**states.proposal_form_data(), **forged})

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.event.slug == path.strip("/").split("/")[-1]
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.registration is None
    assert proposal.decided_at is None and proposal.decision_notified_at is None
    assert proposal.token_hash != "0" * 64


def test_a_forged_address_status_or_event_in_a_change_is_ignored(client):
    path = states.proposal_page("submitted", "edit")
    proposal = Proposal.objects.get()
    other = states.new_event()
    forged = {
        "email": "mallory@example.org",
        "status": "accepted",
        "event": other.pk,
        "language": "xx",
        "wants_news": "on",
    }

    response = client.post(path, {**states.proposal_form_data(title="Nouveau titre"), **forged})

    changed = Proposal.objects.get()
    assert response.status_code == 302
    assert changed.title == "Nouveau titre"
    assert (changed.person.email, changed.status, changed.event_id, changed.person.language) == (
        proposal.person.email,
        Proposal.Status.SUBMITTED,
        proposal.event_id,
        proposal.person.language,
    )
    assert changed.person.wants_news is False


@pytest.mark.parametrize("form", [SIGNUP, PROPOSAL], ids=str)
def test_an_oversized_body_is_refused_with_rate_limits_on_too(
    client, settings, rate_limits, unchanged, form
):
    # The limit per email address reads the posted body first.
    path, data = form.prepare()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000

    with unchanged():
        response = client.post(path, {**data, "padding": "x" * 30_000}, **EN)

    assert response.status_code == 400
