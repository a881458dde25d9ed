"""Every page an organiser reaches reads as written French: no Django jargon, no English."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from iness.models import MailBatch, OutgoingMail, Person
from proposals import services as proposal_services
from proposals.models import Proposal, Review
from registrations import services as registration_services

from .conftest import propose, sign_up

pytestmark = pytest.mark.django_db

# Django's generic phrasings, and English words organisers should never read.
FORBIDDEN = [
    "l’objet",
    "l'objet",
    "à changer",
    "Modification de",
    "Ajout de",
    "Aucun(e)",
    "résultat (",
    "public site",
    "command ",
    # Mail kinds as codes.
    "registrations.confirmed",
    "registrations.organisers_signup",
    "proposals/received",
    "proposals/accepted",
    " the ",
    " of ",
    " and ",
    "Select ",
    "Change ",
    "None",
    "#1",
    "claire",  # a login where a name belongs
]


@pytest.fixture
def french(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"


def propose_in_french(event):
    return propose(
        event,
        language="fr",
        summary="Ce que nous avons appris.",
        experience="Une coopérative de la Drôme",
    )


@pytest.fixture
def day(event, organiser):
    # What people wrote is theirs to write in any language: here, all in French.
    event.title_en = event.description_en = event.access_en = ""
    event.save()
    registration = sign_up(event, language="fr")
    registration_services.cancel(registration=registration, by=organiser)
    sign_up(event, language="fr")
    proposal = propose_in_french(event)
    Review.objects.create(proposal=proposal, reviewer=organiser, score=3, comment="Bien")
    proposal_services.decide(proposal=proposal, decision="accepted", by=organiser)
    proposal_services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)
    propose_in_french(event)
    return event


def organiser_pages(event):
    first = {
        "registrations_registration": event.registrations.first(),
        "proposals_proposal": event.proposals.first(),
        "iness_outgoingmail": OutgoingMail.objects.first(),
        "iness_mailbatch": MailBatch.objects.first(),
        "iness_person": Person.objects.first(),
        "iness_event": event,
    }
    pages = [reverse("admin:index"), reverse("admin:proposals_proposal_announce")]
    for name, obj in first.items():
        pages.append(reverse(f"admin:{name}_changelist"))
        pages.append(reverse(f"admin:{name}_change", args=[obj.pk]))
    pages.append(reverse("admin:backoffice_announcement_changelist"))
    pages.append(reverse("admin:backoffice_announcement_add") + f"?event={event.pk}")
    return pages


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(strip_tags(html).split())


def test_every_organiser_page_reads_as_written_french(french, organiser_client, day):
    problems = []
    for url in organiser_pages(day):
        response = organiser_client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        problems += [(url, phrase) for phrase in FORBIDDEN if phrase in text]
    assert problems == [], "\n".join(f"{u}: {p}" for u, p in problems)


def test_average_scores_are_written_the_french_way(french, organiser_client, organiser, event):
    proposal = propose(event)
    Review.objects.create(proposal=proposal, reviewer=organiser, score=3)

    text = organiser_client.get(reverse("admin:proposals_proposal_changelist")).content.decode()

    assert "3,0" in text and "3.0" not in text
