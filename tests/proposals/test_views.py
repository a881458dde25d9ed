import datetime as dt
import re

import pytest
from django.utils import timezone

from iness.models import OutgoingMail
from proposals import services
from proposals.models import Proposal

from .conftest import accept_named, form_data, latest_link, named

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
Status = Proposal.Status


def submit_url(event):
    return f"/proposition/{event.slug}/"


# the form -------------------------------------------------------------------------------


def test_form_explains_both_formats_and_their_length(client, event):
    page = client.get(submit_url(event), **EN).content.decode()

    assert "Talk: you report on an experience" in page
    assert "Round table: you bring an experience" in page
    assert "About 20 minutes" in page and "About 45 minutes" in page
    [also_register] = re.findall(r'<input[^>]*name="also_register"[^>]*>', page)
    assert "checked" in also_register


def test_home_page_links_to_the_form(client, event):
    page = client.get("/", **EN).content.decode()

    assert f'href="{submit_url(event)}"' in page


def test_valid_form_records_the_proposal_and_redirects_to_the_result(client, event):
    response = client.post(submit_url(event), form_data(), **EN)

    assert response.status_code == 302
    assert response["Location"] == f"/proposition/{event.slug}/envoyee/"
    proposal = Proposal.objects.get()
    assert proposal.person.language == "en"
    result = client.get(response["Location"], **EN).content.decode()
    assert "Une plateforme de covoiturage solidaire" in result
    assert "ada@example.org" in result


def test_reloading_the_result_page_creates_nothing(client, event):
    response = client.post(submit_url(event), form_data(), follow=True, **EN)
    client.get(f"/proposition/{event.slug}/envoyee/", **EN)
    client.get(f"/proposition/{event.slug}/envoyee/", **EN)

    assert response.status_code == 200
    assert Proposal.objects.count() == 1
    assert OutgoingMail.objects.filter(kind="proposals/received").count() == 1


def test_a_double_click_records_one_proposal(client, event):
    client.post(submit_url(event), form_data(), **EN)
    second = client.post(submit_url(event), form_data(), follow=True, **EN)

    assert Proposal.objects.count() == 1
    assert "Une plateforme de covoiturage solidaire" in second.content.decode()


def test_result_page_without_a_submission_goes_back_to_the_form(client, event):
    response = client.get(f"/proposition/{event.slug}/envoyee/", **EN)

    assert response.status_code == 302
    assert response["Location"] == submit_url(event)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not an address", "Enter a valid email address"),
        ("title", "", "This field is required"),
        ("format", "keynote", "Select a valid choice"),
        ("organisation_kind", "", "This field is required"),
        ("consent", None, "Please accept the privacy notice"),
        ("summary", "x" * 3001, "at most 3000 characters"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_saved(
    client, event, field, value, message
):
    response = client.post(submit_url(event), form_data(**{field: value}), **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'id="error_1_id_{field}"' in page
    assert Proposal.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


def test_form_is_closed_after_the_deadline_and_accepts_nothing(client, make_event):
    event = make_event(proposals_close_at=timezone.now() - dt.timedelta(hours=1))

    page = client.get(submit_url(event), **EN).content.decode()
    response = client.post(submit_url(event), form_data(), **EN)

    assert "Proposals are closed" in page
    assert "<form" not in page.split("<main")[1]
    assert response.status_code == 200
    assert "Proposals are closed" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_form_of_an_unpublished_event_is_not_found(client, make_event):
    event = make_event(is_published=False)

    assert client.get(submit_url(event)).status_code == 404
    assert client.post(submit_url(event), form_data()).status_code == 404
    assert Proposal.objects.count() == 0


def test_form_in_french_by_default(client, event):
    page = client.get(submit_url(event)).content.decode()

    assert '<html lang="fr">' in page


# the private page -----------------------------------------------------------------------


def test_private_link_from_the_receipt_opens_the_proposal(client, proposal):
    page = client.get(latest_link(), **EN)

    text = page.content.decode()
    assert page.status_code == 200
    assert "Une plateforme de covoiturage solidaire" in text
    assert "Received, waiting for the committee" in text
    assert "Change my proposal" in text and "Withdraw my proposal" in text
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


@pytest.mark.parametrize("token", ["nope", "a" * 43, "x" * 300])
def test_an_invalid_link_says_so_and_offers_a_new_one(client, proposal, token):
    response = client.get(f"/ma-proposition/{token}/", **EN)

    text = response.content.decode()
    assert response.status_code == 404
    assert "This link does not work" in text
    assert 'href="/lien-perdu/"' in text
    assert "covoiturage" not in text


def test_an_invalid_link_cannot_edit_withdraw_or_confirm(client, proposal):
    for action in ("modifier", "retirer", "confirmer"):
        response = client.post(f"/ma-proposition/{'a' * 43}/{action}/", form_data(title="X"))
        assert response.status_code == 404

    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED and proposal.title != "X"


def test_an_undisclosed_decision_looks_like_submitted(client, proposal, organiser):
    link = latest_link()
    services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)

    text = client.get(link, **EN).content.decode()

    assert "Received, waiting for the committee" in text
    assert "Not retained" not in text
    # Editing closes at the deadline for everyone, not on a decision nobody was told.
    assert "Change my proposal" in text


def test_speaker_edits_through_the_link(client, proposal):
    link = latest_link()

    form = client.get(link + "modifier/", **EN).content.decode()
    response = client.post(
        link + "modifier/", form_data(title="Titre revu", email="ignored@example.org"), **EN
    )

    assert 'name="email"' not in form
    assert 'value="Une plateforme de covoiturage solidaire"' in form
    assert response.status_code == 302 and response["Location"] == link
    proposal.refresh_from_db()
    assert proposal.title == "Titre revu"
    assert proposal.person.email == "ada@example.org"
    page = client.get(link, **EN).content.decode()
    assert "Your changes are saved" in page
    assert OutgoingMail.objects.filter(kind="proposals/edited", to="ada@example.org").exists()


def test_bad_input_on_edit_changes_nothing(client, proposal):
    response = client.post(latest_link() + "modifier/", form_data(title=""), **EN)

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Proposal.objects.get().title == "Une plateforme de covoiturage solidaire"


def test_edit_after_the_deadline_is_refused_with_a_message(client, proposal):
    link = latest_link()
    proposal.event.proposals_close_at = timezone.now() - dt.timedelta(minutes=1)
    proposal.event.save()

    response = client.post(link + "modifier/", form_data(title="Trop tard"), follow=True, **EN)

    text = response.content.decode()
    assert "The deadline for proposals has passed" in text
    assert "Change my proposal</a>" not in text
    assert Proposal.objects.get().title != "Trop tard"


def test_withdraw_asks_for_confirmation_then_withdraws(client, proposal):
    link = latest_link()

    question = client.get(link + "retirer/", **EN)
    assert "Do you really want to withdraw" in question.content.decode()
    assert Proposal.objects.get().status == Status.SUBMITTED

    response = client.post(link + "retirer/", follow=True, **EN)

    assert Proposal.objects.get().status == Status.WITHDRAWN
    assert "Your proposal is withdrawn" in response.content.decode()
    assert "Withdraw my proposal</a>" not in response.content.decode()


def test_accepted_speaker_confirms_through_the_link_from_the_decision(client, proposal, organiser):
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)
    link = latest_link()

    page = client.get(link, **EN).content.decode()
    assert "Accepted" in page and "I confirm I will present" in page

    client.get(link + "confirmer/")  # a GET (e.g. a mail scanner) confirms nothing
    assert Proposal.objects.get().status == Status.ACCEPTED

    response = client.post(link + "confirmer/", follow=True, **EN)

    assert Proposal.objects.get().status == Status.CONFIRMED
    assert "your participation is confirmed" in response.content.decode()


def test_confirm_before_the_decision_is_released_is_refused(client, proposal, organiser):
    link = latest_link()
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)

    response = client.post(link + "confirmer/", follow=True, **EN)

    assert Proposal.objects.get().status == Status.ACCEPTED
    assert "There is nothing to confirm" in response.content.decode()


def test_released_rejection_is_worded_kindly_on_the_page(client, proposal, organiser):
    services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)
    services.send_proposal_links(email="ada@example.org", language="en")

    text = client.get(latest_link(), **EN).content.decode()

    assert "Not retained for this day" in text
    assert "welcome to attend" in text
    assert "Withdraw my proposal" not in text


# the programme --------------------------------------------------------------------------


@pytest.fixture
def programme(make_proposal, organiser, event):
    """One proposal in each state, decisions released."""
    made = {}
    for name, fmt in [
        ("accepted", "talk"),
        ("confirmed", "round_table"),
        ("rejected", "talk"),
        ("submitted", "talk"),
        ("withdrawn", "talk"),
        ("unreleased", "talk"),
    ]:
        made[name] = make_proposal(
            title=f"Titre {name}",
            format=fmt,
            email=f"{name}@example.org",
            summary=f"Résumé {name}",
            needs=f"secret needs {name}",
            panel=(
                named("Co", f"Speaker {name}", f"co-{name}@example.org", f"Org {name}"),
                named("Pan", f"Ellist {name}", f"pan-{name}@example.org"),
            )
            if fmt == "round_table"
            else (),
        )
        accept_named(made[name])
    services.decide(proposal=made["accepted"], decision=Status.ACCEPTED, by=organiser)
    services.decide(proposal=made["confirmed"], decision=Status.ACCEPTED, by=organiser)
    services.decide(proposal=made["rejected"], decision=Status.REJECTED, by=organiser)
    services.withdraw(proposal=made["withdrawn"])
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)
    services.confirm(proposal=made["confirmed"])
    services.decide(proposal=made["unreleased"], decision=Status.ACCEPTED, by=organiser)
    return made


def test_programme_lists_accepted_and_confirmed_proposals_not_yet_given_a_time(
    client, event, programme, django_assert_max_num_queries
):
    event.programme_published = True
    event.save()

    with django_assert_max_num_queries(6):
        response = client.get(f"/programme/{event.slug}/", **EN)

    text = response.content.decode()
    assert response.status_code == 200
    _before, listed = text.split("On the programme, times to be announced")
    assert "Titre accepted" in listed and "Résumé accepted" in listed
    assert "Titre confirmed" in listed
    assert "Talk" in listed and "Round table" in listed
    assert "<bdi>Ada Lovelace</bdi>, <bdi>Roule Ensemble</bdi>" in text
    assert "<bdi>Co Speaker confirmed</bdi>, <bdi>Org confirmed</bdi>" in text
    for hidden in ("rejected", "submitted", "withdrawn", "unreleased"):
        assert f"Titre {hidden}" not in text
    assert "@example.org" not in text
    assert "secret needs" not in text


def test_programme_shows_nothing_until_published(client, event, programme):
    response = client.get(f"/programme/{event.slug}/", **EN)

    text = response.content.decode()
    assert response.status_code == 200
    assert "The programme is not published yet" in text
    assert "Titre accepted" not in text


def test_programme_of_an_unpublished_event_is_not_found(client, make_event):
    event = make_event(is_published=False, programme_published=True)

    assert client.get(f"/programme/{event.slug}/").status_code == 404


def test_home_links_to_the_programme_once_published(client, event):
    assert "/programme/" not in client.get("/").content.decode()

    event.programme_published = True
    event.save()

    assert f'href="/programme/{event.slug}/"' in client.get("/").content.decode()
