import itertools

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from backoffice.organisers import GROUP_NAME, sync_group
from proposals import services as proposal_services
from proposals.services import PanellistData, ProposalData
from registrations import services as registration_services
from registrations.services import RegistrationData

_numbers = itertools.count(1)


def person(**overrides) -> RegistrationData:
    n = next(_numbers)
    fields = {
        "first_name": f"Ada{n}",
        "last_name": f"Lovelace{n}",
        "email": f"ada{n}@example.org",
        "organisation": "Coopérative numérique",
        "profile": "practitioner",
        "organisation_kind": "ess",
        "language": "en",
    }
    fields.update(overrides)
    return RegistrationData(**fields)


def sign_up(event, **overrides):
    """A registration made through the sign-up service, as the public form makes it."""
    return registration_services.register(
        verified=True, event=event, data=person(**overrides)
    ).registration


def propose(event, **overrides):
    n = next(_numbers)
    fields = {
        "format": "talk",
        "title": f"Proposal {n}",
        "summary": "What we learnt.",
        "experience": "A cooperative in the Drôme",
        "first_name": f"Grace{n}",
        "last_name": f"Hopper{n}",
        "email": f"grace{n}@example.org",
        "organisation": "Roule Ensemble",
        "profile": "researcher",
        "organisation_kind": "research",
        "language": "en",
    }
    fields.update(overrides)
    if fields["format"] == "round_table" and "panel" not in fields:
        # A round table names at least two panellists.
        fields["panel"] = tuple(
            PanellistData("Pan", f"Ellist{n}-{i}", f"panel{n}-{i}@example.org") for i in (1, 2)
        )
    return proposal_services.submit(event=event, data=ProposalData(**fields)).proposal


def organisers_group() -> Group:
    # The data migration made it; a test that flushed the database (transaction=True) did not
    # keep it, so make it again the way `manage.py organisers_group` does.
    return Group.objects.filter(name=GROUP_NAME).first() or sync_group()


@pytest.fixture(autouse=True)
def _english(client):
    # Django's own admin strings are translated: read the admin in English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def make_organiser(django_user_model):
    def make(username="claire", **fields):
        user = django_user_model.objects.create_user(
            username=username, password="organiser-pass-123", is_staff=True, **fields
        )
        user.groups.add(organisers_group())
        return user

    return make


@pytest.fixture
def organiser(make_organiser):
    return make_organiser(first_name="Claire", last_name="Dupont")


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def changelist(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_changelist")


def action(client, model: str, name: str, objects, *, follow=True, query="", **extra):
    """Run an admin action on `objects` from the changelist, as the action menu does."""
    return client.post(
        changelist(model) + query,
        {"action": name, "_selected_action": [o.pk for o in objects], **extra},
        follow=follow,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]
