"""Limits that stop abuse, not people (issue 13.3): accepted posts per client address,
one budget of mails per person across every public form, and a refused post that keeps
what was typed."""

import pytest
from django.test import Client

from iness import links
from iness.models import OutgoingMail, Person
from registrations.models import Registration
from tests import states

from .conftest import EN

pytestmark = pytest.mark.django_db

ATTACKER = {"REMOTE_ADDR": "203.0.113.66", **EN}


def _to(mailoutbox, address: str) -> list:
    return [m for m in mailoutbox if m.to == [address]]


def test_invalid_posts_for_an_address_do_not_lock_its_owner_out(
    client, rate_limits, delivered, mailoutbox
):
    path = states.signup_form()
    for _ in range(5):  # consent unticked: nothing saved, nothing sent
        invalid = states.signup_form_data(email="target@example.org", consent=None)
        assert client.post(path, invalid, **ATTACKER).status_code == 200

    with delivered():
        response = Client().post(
            path, states.signup_form_data(email="target@example.org"), REMOTE_ADDR="198.51.100.9"
        )

    assert response.status_code == 302
    assert Registration.objects.filter(person__email="target@example.org").count() == 1
    assert len(_to(mailoutbox, "target@example.org")) == 1


def test_one_victim_gets_at_most_five_mails_whatever_the_forms_used(
    client, rate_limits, delivered, mailoutbox
):
    victim = "victim@example.org"
    signup, proposal = states.signup_form(), states.proposal_form()

    with delivered():
        answers = [
            client.post(signup, states.signup_form_data(email=victim), **ATTACKER) for _ in range(5)
        ]
        for _ in range(5):
            answers.append(client.post("/lien-perdu/", {"email": victim}, **ATTACKER))
            links.answer_requests()
        answers += [
            client.post(
                proposal,
                states.proposal_form_data(email=victim, title=f"Titre {n}", also_register="on"),
                **ATTACKER,
            )
            for n in range(5)
        ]

    assert [answer.status_code for answer in answers] == [302] * 15
    assert len(_to(mailoutbox, victim)) == 5
    assert OutgoingMail.objects.filter(to=victim).count() == 5


def test_organisers_notices_are_not_counted_against_the_person(
    client, rate_limits, delivered, mailoutbox, settings
):
    from iness.history import PUBLIC
    from registrations import services as registrations

    path = states.signup_form()

    with delivered():
        client.post(path, states.signup_form_data(email="ada@example.org"), **ATTACKER)
        # Confirmed: the organisers are told, in a notice filed under Ada.
        registrations.verify(registration=Registration.objects.get(), by=PUBLIC)
        for _ in range(6):
            client.post(path, states.signup_form_data(email="ada@example.org"), **ATTACKER)

    assert len(_to(mailoutbox, settings.ORGANISERS_EMAIL)) >= 1
    # Her budget went to her own mails only: the request to confirm and four links again.
    assert OutgoingMail.objects.filter(to="ada@example.org", visitor_triggered=True).count() == 5


def test_sixty_colleagues_behind_one_address_sign_up_within_the_hour(client, rate_limits):
    path = states.signup_form(capacity=100)

    statuses = [
        client.post(
            path, states.signup_form_data(email=f"colleague{n}@example.org"), **ATTACKER
        ).status_code
        for n in range(60)
    ]

    assert statuses == [302] * 60
    assert Registration.objects.count() == 60


@pytest.mark.parametrize("form", ["sign-up", "proposal"])
def test_a_refused_post_shows_the_form_again_with_everything_typed(
    client, settings, rate_limits, form
):
    settings.PUBLIC_POST_RATE = "1/h"
    if form == "sign-up":
        path, data = (
            states.signup_form(),
            states.signup_form_data(
                last_name="Sałata", organisation="Coopérative des Lilas", interests="Les communs"
            ),
        )
        typed = ["Sałata", "Coopérative des Lilas", "Les communs"]
    else:
        path = states.proposal_form()
        data = states.proposal_form_data(title="Cartographier les tiers-lieux", summary="Résumé")
        typed = ["Cartographier les tiers-lieux", "Résumé"]
    assert client.post(path, {**data, "email": "first@example.org"}, **EN).status_code == 302
    people = Person.objects.count()

    refused = client.post(path, data, **EN)

    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many attempts" in page and "please send it again after" in page
    assert all(text in page for text in typed)
    assert int(refused["Retry-After"]) <= 3600
    assert Person.objects.count() == people
