"""Other speakers and panellists as people (issue 15.1): named by the speaker, each accepts or
declines by their own link, takes a seat through the sign-up service, and is erased like
anyone else."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from iness.erasure import describe, erase_person, purge_personal_data
from iness.models import Event, OutgoingMail, Person
from proposals import programme, services
from proposals.models import Panellist, Proposal
from registrations.models import Registration

from .conftest import form_data, item, named, panel_form_data, place, proposal_data, publish

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
Status = Panellist.Status
PANEL_LINK = re.compile(r"http://testserver(/intervention/[^/\s]+/)")

AMINA = named("Amina", "Haddad", "amina@example.org", "Réseau Entraide", "Coordinatrice")
GRACE = named("Grace", "Hopper", "grace@example.org", "Navy")
LI = named("Li", "Na", "li@example.org", "Université de Lyon")
BO = named("Bo", "Berg", "bo@example.org")


def round_table(event, *panel, **data):
    return services.submit(
        event=event, data=proposal_data(format="round_table", panel=panel, **data)
    ).proposal


def link_of(email: str) -> str:
    """The link of the latest mail to `email` that carries one, as the person receives it:
    the mail worker sends what waits (links are minted then)."""
    from django.core import mail

    from tests.conftest import deliver_mail

    deliver_mail()
    for message in reversed(getattr(mail, "outbox", [])):
        match = PANEL_LINK.search(message.body)
        if email in message.to and match:
            return match.group(1)
    raise AssertionError(f"no panellist link to {email}")


def kinds_to(email: str) -> list[str]:
    return list(OutgoingMail.objects.filter(to=email).order_by("pk").values_list("kind", flat=True))


def panellist(email: str) -> Panellist:
    return Panellist.objects.select_related("person", "proposal__event").get(
        person__email=email, status__in=Panellist.ACTIVE_STATUSES
    )


def accept(client, email: str):
    return client.post(link_of(email) + "repondre/", {"answer": "accept", "consent": "on"}, **EN)


# Naming people ------------------------------------------------------------------------------


def test_submit_invites_each_named_person_by_their_own_link(client, event):
    proposal = round_table(event, AMINA, GRACE)

    assert [p.person.email for p in proposal.panellists.order_by("position")] == [
        "amina@example.org",
        "grace@example.org",
    ]
    assert {p.status for p in proposal.panellists.all()} == {Status.INVITED}
    assert kinds_to("amina@example.org") == ["proposals/panellist_invited"]
    page = client.get(link_of("amina@example.org"), **EN).content.decode()
    assert "A proposal that names you" in page and "Une plateforme de covoiturage" in page


def test_a_named_person_has_given_no_consent_until_they_accept(event):
    round_table(event, AMINA, GRACE)

    person = Person.objects.get(email="amina@example.org")
    assert (person.consent_at, person.privacy_notice_version) == (None, "")


def test_a_known_person_named_by_someone_keeps_the_name_they_gave(event):
    round_table(event, AMINA, GRACE)
    round_table(
        event,
        named("Mallory", "Fake", "AMINA@example.org"),
        LI,
        email="other@example.org",
        title="Autre",
    )

    assert Person.objects.filter(email_key="amina@example.org").get().full_name == "Amina Haddad"


@pytest.mark.parametrize(
    ("fmt", "panel", "message"),
    [
        ("round_table", (AMINA,), "A round table names from 2 to 6 panellists"),
        ("round_table", (), "A round table names from 2 to 6 panellists"),
        ("talk", (AMINA, GRACE, LI), "A talk may name at most 2 other speakers"),
        ("talk", (AMINA, AMINA), "The same person is named twice"),
        ("talk", (named("Ada", "L", "ADA@example.org"),), "not yourself"),
    ],
)
def test_submit_refuses_a_list_the_format_does_not_allow(event, fmt, panel, message):
    with pytest.raises(services.PanelRefused) as refused:
        services.submit(event=event, data=proposal_data(format=fmt, panel=panel))

    assert message in str(refused.value.message)
    assert not Proposal.objects.exists() and not Panellist.objects.exists()


# The form -----------------------------------------------------------------------------------


def test_the_form_has_six_labelled_rows_without_script(client, event):
    page = client.get(f"/proposition/{event.slug}/", **EN).content.decode()

    for row in range(1, 7):
        assert re.search(rf'<label\s+for="id_panel_{row}_email"', page)
        assert f"Other speaker or panellist {row}" in page
    assert "<script" not in page.split("<form")[1].split("</form>")[0]


def test_the_form_sends_a_round_table_with_four_panellists(client, event):
    data = form_data(format="round_table") | panel_form_data([AMINA, GRACE, LI, BO])

    response = client.post(f"/proposition/{event.slug}/", data, **EN)

    assert response.status_code == 302
    assert Proposal.objects.get().panellists.count() == 4


def test_the_form_asks_to_complete_a_row_begun(client, event):
    data = form_data(format="talk") | {"panel_1_first_name": "Amina"}

    response = client.post(f"/proposition/{event.slug}/", data, **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the email address of person 1" in page
    assert not Proposal.objects.exists()


def test_the_form_says_a_round_table_needs_two_panellists(client, event):
    data = form_data(format="round_table") | panel_form_data([AMINA])

    response = client.post(f"/proposition/{event.slug}/", data, **EN)

    assert "A round table names from 2 to 6 panellists" in response.content.decode()
    assert not Proposal.objects.exists()


# Answering ----------------------------------------------------------------------------------


def test_accepting_records_the_answer_and_the_consent(client, event):
    round_table(event, AMINA, GRACE)

    response = accept(client, "amina@example.org")

    assert response.status_code == 302
    amina = panellist("amina@example.org")
    assert amina.status == Status.ACCEPTED and amina.answered_at is not None
    assert amina.person.consent_at is not None and amina.person.privacy_notice_version


def test_accepting_without_the_consent_box_changes_nothing(client, event):
    round_table(event, AMINA, GRACE)

    response = client.post(link_of("amina@example.org") + "repondre/", {"answer": "accept"}, **EN)

    assert response.status_code == 200
    assert "Please accept the privacy notice to be named" in response.content.decode()
    assert panellist("amina@example.org").status == Status.INVITED


def test_declining_keeps_the_person_off_the_programme(client, event):
    proposal = round_table(event, AMINA, GRACE)

    client.post(link_of("grace@example.org") + "repondre/", {"answer": "decline"}, **EN)
    accept(client, "amina@example.org")

    assert Panellist.objects.get(person__email="grace@example.org").status == Status.DECLINED
    names = [speaker.name for speaker in programme.speakers(proposal)]
    assert names == ["Ada Lovelace", "Amina Haddad"]


def test_the_speaker_sees_who_accepted(client, event):
    round_table(event, AMINA, GRACE)
    accept(client, "amina@example.org")

    page = client.get(_speaker_link(), **EN).content.decode()

    assert (
        'Amina Haddad</bdi>, <bdi>Réseau Entraide</bdi>: <span class="fw-semibold">accepted' in page
    )
    assert 'Grace Hopper</bdi>, <bdi>Navy</bdi>: <span class="fw-semibold">invited' in page


def _speaker_link() -> str:
    from .conftest import latest_link

    return latest_link("ada@example.org")


# Changing the list --------------------------------------------------------------------------


def test_the_speaker_s_change_invites_the_new_and_tells_the_removed(client, event):
    round_table(event, AMINA, GRACE)
    accept(client, "amina@example.org")
    data = form_data(format="round_table") | panel_form_data([AMINA, LI])
    del data["email"]

    response = client.post(_speaker_link() + "modifier/", data, **EN)

    assert response.status_code == 302
    assert panellist("amina@example.org").status == Status.ACCEPTED  # keeps the answer
    assert panellist("li@example.org").status == Status.INVITED
    assert Panellist.objects.get(person__email="grace@example.org").status == Status.REMOVED
    assert kinds_to("grace@example.org")[-1] == "proposals/panellist_removed"
    assert kinds_to("li@example.org") == ["proposals/panellist_invited"]
    assert client.get(link_of("li@example.org"), **EN).status_code == 200


def test_the_edit_form_shows_the_list_as_it_is(client, event):
    round_table(event, AMINA, GRACE)

    page = client.get(_speaker_link() + "modifier/", **EN).content.decode()

    assert 'value="grace@example.org"' in page and 'value="Réseau Entraide"' in page


def test_the_list_cannot_change_after_the_deadline(event):
    proposal = round_table(event, AMINA, GRACE)
    Event.objects.filter(pk=event.pk).update(proposals_close_at=timezone.now())

    with pytest.raises(services.NotEditable):
        services.edit(
            proposal=Proposal.objects.get(pk=proposal.pk),
            data=proposal_data(format="round_table", panel=(AMINA, LI)),
        )

    assert panellist("grace@example.org").status == Status.INVITED


# Seats --------------------------------------------------------------------------------------


def test_an_accepted_person_takes_a_seat_through_the_sign_up_service(client, event):
    round_table(event, AMINA, GRACE)
    accept(client, "amina@example.org")

    response = client.post(
        link_of("amina@example.org") + "place/",
        {"profile": "practitioner", "organisation_kind": "ess", "needs": "Fauteuil roulant"},
        **EN,
    )

    assert response.status_code == 302
    registration = Registration.objects.get(person__email="amina@example.org")
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.organisation, registration.needs) == (
        "Réseau Entraide",
        "Fauteuil roulant",
    )
    assert "registrations.confirmed" in kinds_to("amina@example.org")


def test_a_person_who_has_not_accepted_cannot_take_a_seat(client, event):
    round_table(event, AMINA, GRACE)

    client.post(
        link_of("amina@example.org") + "place/",
        {"profile": "practitioner", "organisation_kind": "ess"},
        **EN,
    )

    assert not Registration.objects.exists()


def test_the_seat_follows_the_waiting_list_when_seats_are_taken(make_event):
    from tests.registrations.conftest import fill

    event = make_event(capacity=2)
    fill(event, 2)
    proposal = round_table(event, AMINA, GRACE)
    amina = proposal.panellists.get(person__email="amina@example.org")
    services.panel.answer(panellist=amina, accept=True)

    outcome = services.panel.take_seat(
        panellist=panellist("amina@example.org"),
        profile="researcher",
        organisation_kind="research",
        language="en",
    )

    assert outcome.registration.status == Registration.Status.WAITLISTED
    assert Registration.objects.holding_seat().count() == 2


# The decision -------------------------------------------------------------------------------


def test_the_acceptance_mail_goes_to_the_people_who_accepted(client, event):
    proposal = round_table(event, AMINA, GRACE, LI)
    accept(client, "amina@example.org")
    client.post(link_of("grace@example.org") + "repondre/", {"answer": "decline"}, **EN)
    services.decide(proposal=proposal, decision=Proposal.Status.ACCEPTED, by="committee")

    services.notify_decisions(proposals=Proposal.objects.all(), by="committee")

    assert kinds_to("amina@example.org")[-1] == "proposals/panellist_accepted"
    assert "proposals/panellist_accepted" not in kinds_to("grace@example.org")
    assert "proposals/panellist_accepted" not in kinds_to("li@example.org")
    assert client.get(link_of("amina@example.org"), **EN).status_code == 200


# Erasure and retention ----------------------------------------------------------------------


def test_erasing_a_named_person_takes_them_off_and_erases_what_was_said(client, event):
    proposal = round_table(event, AMINA, GRACE)
    accept(client, "amina@example.org")
    link = link_of("amina@example.org")
    amina = panellist("amina@example.org")

    assert "You are taken off the proposal" in " ".join(describe(amina.person))
    erase_person(amina.person)

    amina = Panellist.objects.get(pk=amina.pk)
    assert amina.status == Status.REMOVED
    assert (amina.organisation, amina.bio) == ("", "")
    assert amina.person.email.endswith("@anonymised.invalid")
    assert client.get(link, **EN).status_code == 404
    assert [s.name for s in programme.speakers(proposal)] == ["Ada Lovelace"]


def test_the_delete_page_is_behind_the_panellist_s_link(client, event):
    round_table(event, AMINA, GRACE)

    response = client.post(link_of("amina@example.org") + "supprimer-mes-donnees/", **EN)

    assert response.status_code == 302
    assert Person.objects.get(pk=Panellist.objects.first().person_id).is_erased


def test_retention_keeps_a_published_panellist_s_name_and_erases_the_rest(client, event):
    proposal = round_table(event, AMINA, GRACE)
    accept(client, "amina@example.org")
    services.decide(proposal=proposal, decision=Proposal.Status.ACCEPTED, by="committee")
    services.notify_decisions(proposals=Proposal.objects.all(), by="committee")
    place(event, item(event, "10:00", 45, proposal=Proposal.objects.get()))
    publish(event)

    later = timezone.now() + dt.timedelta(days=400)
    purge_personal_data(now=later)

    amina = Panellist.objects.select_related("person").get(person__first_name="Amina")
    grace = Panellist.objects.select_related("person").get(status=Status.INVITED)
    assert (amina.organisation, amina.bio) == ("Réseau Entraide", "")
    assert amina.person.email.endswith("@anonymised.invalid")
    assert (grace.organisation, grace.person.first_name) == ("", "")
    assert grace.person.email.endswith("@anonymised.invalid")


def test_purge_command_counts_panellists(event, capsys):
    round_table(event, AMINA, GRACE)

    call_command("purge_personal_data", "--dry-run")

    assert "panellists" in capsys.readouterr().out
