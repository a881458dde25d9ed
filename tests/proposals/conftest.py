import re

import pytest

from proposals import services
from proposals.models import Proposal
from proposals.services import ProposalData


def proposal_data(**overrides) -> ProposalData:
    fields = {
        "format": "round_table",
        "title": "Une plateforme de covoiturage solidaire",
        "summary": "Comment une coopérative rurale a construit son outil.",
        "experience": "Coopérative Roule Ensemble, Drôme",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "organisation": "Roule Ensemble",
        "profile": "practitioner",
        "organisation_kind": "ess",
        "co_speakers": "",
        "needs": "",
        "language": "en",
    }
    fields.update(overrides)
    return ProposalData(**fields)


def form_data(**overrides) -> dict:
    data = {
        field: value
        for field, value in proposal_data().__dict__.items()
        if field not in {"language"}
    }
    data.update({"consent": "on", "also_register": ""})
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


LINK = re.compile(r"http://testserver(/ma-proposition/[^/\s]+/)")


def link_in(text: str) -> str:
    """The path of the private link in a message."""
    match = LINK.search(text)
    assert match, text
    return match.group(1)


@pytest.fixture
def make_proposal(event):
    """A proposal sent through the service; keyword arguments change the form's data."""

    def make(*, on_event=None, **overrides) -> Proposal:
        return services.submit(event=on_event or event, data=proposal_data(**overrides)).proposal

    return make


@pytest.fixture
def proposal(make_proposal):
    return make_proposal()


@pytest.fixture
def organiser(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="x" * 16)


def latest_link(email: str = "ada@example.org") -> str:
    """The private link of the most recent message to `email` that carries one."""
    from iness.models import OutgoingMail

    for mail in OutgoingMail.objects.filter(to=email).order_by("-created_at", "-pk"):
        if LINK.search(mail.body):
            return link_in(mail.body)
    raise AssertionError(f"no message with a link to {email}")
