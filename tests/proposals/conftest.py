import datetime as dt
import re

import pytest

from iness.models import Event
from proposals import programme, services
from proposals.models import Panellist, Proposal, Slot
from proposals.services import PanellistData, ProposalData


def proposal_data(**overrides) -> ProposalData:
    fields = {
        "format": "talk",
        "title": "Une plateforme de covoiturage solidaire",
        "summary": "Comment une coopérative rurale a construit son outil.",
        "experience": "Coopérative Roule Ensemble, Drôme",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "organisation": "Roule Ensemble",
        "profile": "practitioner",
        "organisation_kind": "ess",
        "needs": "",
        "language": "en",
    }
    fields.update(overrides)
    return ProposalData(**fields)


def named(first_name, last_name, email, organisation="", bio="") -> PanellistData:
    """A person the speaker names (an other speaker, a panellist)."""
    return PanellistData(first_name, last_name, email, organisation, bio)


def accept_named(proposal: Proposal) -> None:
    """Every person the proposal names accepts to be named."""
    for panellist in proposal.panellists.filter(status=Panellist.Status.INVITED):
        services.panel.answer(panellist=panellist, accept=True)


def panel_form_data(panel) -> dict:
    """The rows of the proposal form for `panel` (a list of PanellistData)."""
    rows = {}
    for row, person in enumerate(panel, start=1):
        for name, value in person.__dict__.items():
            rows[f"panel_{row}_{name}"] = value
    return rows


def form_data(**overrides) -> dict:
    data = {
        field: value
        for field, value in proposal_data().__dict__.items()
        if field not in {"language", "panel"}
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
    """The private link of the most recent message to `email` that carries one, as the
    person receives it: the mail worker sends what waits (links are minted then)."""
    from django.core import mail

    from tests.conftest import deliver_mail

    deliver_mail()
    for message in reversed(getattr(mail, "outbox", [])):
        if email in message.to and LINK.search(message.body):
            return link_in(message.body)
    raise AssertionError(f"no message with a link to {email}")


# The programme (proposals.programme). --------------------------------------------------------

PROGRAMME_COMMITTEE = "committee member"


def accepted(event, *, notified=True, **data) -> Proposal:
    """A proposal the committee accepted and, unless `notified` is False, told its speaker."""
    proposal = services.submit(event=event, data=proposal_data(**data)).proposal
    accept_named(proposal)
    services.decide(proposal=proposal, decision=Proposal.Status.ACCEPTED, by=PROGRAMME_COMMITTEE)
    if notified:
        services.notify_decisions(
            proposals=Proposal.objects.filter(pk=proposal.pk), by=PROGRAMME_COMMITTEE
        )
    return Proposal.objects.get(pk=proposal.pk)


def item(event, start: str, minutes: int, **fields) -> Slot:
    """An unsaved item starting at "HH:MM"; a kind of item unless a proposal is given."""
    if "proposal" not in fields:
        fields.setdefault("kind", Slot.Kind.BREAK)
    hour, minute = map(int, start.split(":"))
    return Slot(event=event, starts_at=dt.time(hour, minute), duration=minutes, **fields)


def place(event, *slots: Slot) -> list[Slot]:
    """Save `slots` on the day's programme through the service; the slots as saved."""
    programme.save_day(event=event, changed=list(slots))
    return [Slot.objects.get(pk=slot.pk) for slot in slots]


def publish(event):
    Event.objects.filter(pk=event.pk).update(programme_published=True)
    event.refresh_from_db()
    return event


@pytest.fixture
def day(event):
    """A published day: a welcome, a talk in a room, a talk whose speaker has not been told
    the decision, lunch, a round table; and an accepted proposal without a time yet."""
    told = accepted(
        event,
        title="Données de caisse",
        format="talk",
        panel=(named("李", "娜", "li.na@example.org", "Lyon"),),
    )
    panel = accepted(
        event,
        title="Cartographier l’entraide",
        format="round_table",
        email="bo@example.org",
        panel=(
            named("Amina", "Haddad", "amina@example.org", "Réseau Entraide"),
            named("Grace", "Hopper", "grace@example.org"),
        ),
    )
    untold = accepted(event, notified=False, title="Pas encore annoncée", email="c@example.org")
    accepted(event, title="Heure à venir", email="d@example.org")
    place(
        event,
        item(event, "14:00", 90, proposal=panel),
        item(event, "9:30", 30, kind=Slot.Kind.WELCOME),
        item(event, "10:00", 45, proposal=told, room="Amphi Turing"),
        item(event, "11:00", 30, proposal=untold),
        item(event, "12:30", 60, kind=Slot.Kind.LUNCH),
    )
    return publish(event)
