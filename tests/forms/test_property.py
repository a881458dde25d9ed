"""Generated input thrown at every public form: never a 500, never a partial save.

Each example runs in a transaction rolled back at its end, so examples do not see each
other's rows. The number of examples is kept modest so that the suite stays fast; raise
PROPERTY_EXAMPLES in the environment for a longer hunt.
"""

import os
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import event as count_outcome
from hypothesis import strategies as st

from iness.forms import HONEYPOT_FIELD
from proposals.models import Proposal
from registrations.models import OrganisationKind, Registration
from tests import states

from .conftest import database_snapshot

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "40"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any character a form can carry (lone surrogates cannot be encoded by a browser either).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
LONG_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=90, max_size=3100)
# What people really type, in any script.
PLAIN_TEXT = st.text(
    st.characters(categories=("L", "M", "N", "P", "S", "Zs")), min_size=1, max_size=40
)
ADDRESS = st.from_regex(r"[a-z0-9._-]{1,20}@[a-z0-9-]{1,15}\.(org|fr|com)", fullmatch=True)
TICK = st.sampled_from(["on", "", "false", "true", "0", "yes", "\x00"])
MISSING = st.none()  # the field left out of the post
WEIRD = st.one_of(ANY_TEXT, LONG_TEXT, st.just(""), MISSING)
FORGED = st.dictionaries(
    st.sampled_from(["status", "event", "event_id", "token_hash", "consent_at", "id", "language"])
    | ANY_TEXT,
    ANY_TEXT,
    max_size=3,
)


@st.composite
def form_input(draw, valid: dict):
    """What a person would send, with up to three fields replaced by anything at all: so that
    examples both get through and get refused, for every reason."""
    data = {name: draw(strategy) for name, strategy in valid.items()}
    for name in draw(st.sets(st.sampled_from(sorted(valid)), max_size=3)):
        data[name] = draw(st.one_of(WEIRD, st.emails()) if name == "email" else WEIRD)
    return data


PERSON = {
    "first_name": PLAIN_TEXT,
    "last_name": PLAIN_TEXT,
    "email": ADDRESS,
    "organisation": PLAIN_TEXT,
    "organisation_kind": st.sampled_from(OrganisationKind.values),
    "profile": st.sampled_from(["researcher", "practitioner", "both", "other"]),
    "needs": st.one_of(PLAIN_TEXT, st.just("")),
    HONEYPOT_FIELD: st.just(""),
}
CONTENT = {
    "format": st.sampled_from(["talk", "round_table"]),
    "title": PLAIN_TEXT,
    "summary": PLAIN_TEXT,
    "experience": PLAIN_TEXT,
}
SIGNUP = form_input(
    {
        **PERSON,
        "interests": st.one_of(PLAIN_TEXT, st.just("")),
        "consent": st.just("on"),
        "wants_news": TICK,
    }
)
PROPOSAL = form_input(
    {**PERSON, **CONTENT, "consent": st.just("on"), "also_register": TICK, "wants_news": TICK}
)
PROPOSAL_CHANGE = form_input({**PERSON, **CONTENT})
EMAIL = st.one_of(ADDRESS, st.emails(), ANY_TEXT)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def post(path: str, data: dict, forged: dict):
    """Post as a browser does (urlencoded), forged fields first so the form's own win."""
    fields = {**forged, **{name: value for name, value in data.items() if value is not None}}
    return Client().post(
        path,
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def ticked(data: dict, name: str) -> bool:
    return forms.CheckboxInput().value_from_datadict(data, None, name)


def added(before: dict, after: dict) -> dict[str, int]:
    return {model: len(after[model]) - len(before[model]) for model in before}


def stored(value: str | None) -> str:
    return (value or "").strip()


@PROPERTY
@given(data=SIGNUP, forged=FORGED)
def test_sign_up_form_never_fails_and_saves_all_or_nothing(event, data, forged):
    path = f"/inscription/{event.slug}/"
    with rolled_back():
        before = database_snapshot()

        response = post(path, data, forged)

        after = database_snapshot()
        assert response.status_code in (200, 302)
        count_outcome("saved" if response.status_code == 302 else "refused")
        if response.status_code == 200:
            assert after == before
            return
        assert added(before, after) == {
            "Person": 1,
            "Registration": 1,
            "Proposal": 0,
            "OutgoingMail": 1,  # to the person, to confirm the address
            "StatusChange": 1,
        }
        registration = Registration.objects.get()
        assert registration.event == event
        assert registration.status == Registration.Status.HELD
        for name in ["organisation", "interests", "needs"]:
            assert getattr(registration, name) == stored(data[name]), name
        for name in ["first_name", "last_name"]:
            assert getattr(registration.person, name) == stored(data[name]), name
        assert registration.person.wants_news == ticked(data, "wants_news")


@PROPERTY
@given(data=PROPOSAL, forged=FORGED)
def test_proposal_form_never_fails_and_saves_all_or_nothing(event, data, forged):
    path = f"/proposition/{event.slug}/"
    with rolled_back():
        before = database_snapshot()

        response = post(path, data, forged)

        after = database_snapshot()
        assert response.status_code in (200, 302)
        count_outcome("saved" if response.status_code == 302 else "refused")
        if response.status_code == 200:
            assert after == before
            return
        signed_up = ticked(data, "also_register")
        assert added(before, after) == {
            "Person": 1,
            "Registration": int(signed_up),
            "Proposal": 1,
            "OutgoingMail": 2,  # the receipt (its link confirms the seat), the organisers
            "StatusChange": 1 + int(signed_up),
        }
        proposal = Proposal.objects.get()
        assert (proposal.event, proposal.status) == (event, Proposal.Status.SUBMITTED)
        for name in ["title", "summary", "experience", "organisation", "needs"]:
            assert getattr(proposal, name) == stored(data[name]), name
        assert proposal.person.first_name == stored(data["first_name"])
        assert (proposal.registration is not None) == signed_up


@PROPERTY
@given(data=PROPOSAL_CHANGE, forged=FORGED)
def test_proposal_change_never_fails_and_changes_all_or_nothing(event, data, forged):
    with rolled_back():
        path = states.proposal_page("submitted", "edit")
        proposal = Proposal.objects.get()
        before = database_snapshot()

        response = post(path, data, forged)

        assert response.status_code in (200, 302)
        count_outcome("saved" if response.status_code == 302 else "refused")
        changed = Proposal.objects.get()
        if response.status_code == 200:
            assert database_snapshot() == before
            return
        assert (changed.person.email, changed.status, changed.event_id) == (
            proposal.person.email,
            proposal.status,
            proposal.event_id,
        )
        for name in ["title", "summary", "experience", "organisation", "needs"]:
            assert getattr(changed, name) == stored(data[name]), name
        assert changed.person.first_name == stored(data["first_name"])


@PROPERTY
@given(address=EMAIL, forged=FORGED)
def test_lost_link_form_never_fails(event, address, forged):
    with rolled_back():
        before = database_snapshot()

        response = post("/lien-perdu/", {"email": address}, forged)

        assert response.status_code in (200, 302)
        assert database_snapshot() == before  # nobody has signed up with any address here
