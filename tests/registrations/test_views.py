import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from iness.dates import format_date, format_time
from iness.history import PUBLIC
from registrations import services
from registrations.models import Registration

from .conftest import fill, link_token, sign_up

pytestmark = pytest.mark.django_db

Status = Registration.Status
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LINK_PATH = re.compile(r"/mon-inscription/[A-Za-z0-9_-]+/(confirmer/)?")


def form_data(**overrides):
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "organisation": "Coopérative numérique",
        "organisation_kind": "ess",
        "profile": "both",
        "interests": "",
        "needs": "",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def url(event):
    return f"/inscription/{event.slug}/"


def private_link(event, client, mailoutbox, delivered, **overrides):
    """Sign up through the form, confirm through the emailed link, and return the private
    link (the mails of the confirmation are left waiting)."""
    with delivered():
        client.post(url(event), form_data(**overrides), **EN)
    link = f"/mon-inscription/{link_token(mailoutbox[0])}/"
    client.post(f"{link}confirmer/", **EN)
    return link


# The form


def test_home_page_links_to_the_sign_up_form(client, event):
    page = client.get("/", **EN).content.decode()

    assert f'href="{url(event)}"' in page


def test_sign_up_form_asks_for_consent_with_a_link_to_the_privacy_notice(client, event):
    response = client.get(url(event), **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="consent"' in page
    assert 'href="/confidentialite/"' in page
    assert "20 seats left out of 20" in page


def test_sign_up_confirms_the_seat_after_a_redirect(client, event, mailoutbox, delivered):
    with delivered():
        response = client.post(url(event), form_data(), **EN)

    assert response.status_code == 302
    assert response["Location"] == f"{url(event)}merci/"
    page = client.get(response["Location"], **EN).content.decode()
    registration = Registration.objects.get()
    until = registration.verify_by
    assert "Check your inbox" in page
    expected = (
        f"Open the link we sent to ada@example.org before {format_time(until)} on "
        f"{format_date(until)} (Paris time)"
    )
    assert " ".join(expected.split()) in " ".join(page.split())
    assert registration.status == Status.HELD
    assert registration.person.language == "en"
    assert registration.person.consent_at is not None
    # The organisers hear of it once the address is confirmed.
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]


def test_the_mailed_link_opens_one_button_and_only_its_post_confirms(
    client, event, mailoutbox, delivered
):
    with delivered():
        client.post(url(event), form_data(), **EN)
    link = LINK_PATH.search(mailoutbox[0].body).group(0)
    assert link.endswith("/confirmer/")

    page = client.get(link, **EN)
    registration = Registration.objects.get()
    assert page.status_code == 200
    assert page.content.decode().split("<main")[1].count('type="submit"') == 1
    assert registration.status == Status.HELD  # a GET (a mail scanner) changes nothing

    with delivered():
        response = client.post(link, follow=True, **EN)

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED and registration.is_verified
    assert "Your seat is confirmed" in response.content.decode()
    kinds = [(m.to, m.subject) for m in mailoutbox[1:]]
    assert kinds[0][0] == ["ada@example.org"] and "Your seat is confirmed" in kinds[0][1]
    assert mailoutbox[1].attachments[0][0].endswith(".ics")
    assert kinds[1][0] == ["iness@listes.imt.fr"]
    # The page the person is on keeps working: the confirmation carries no new link.
    assert client.get(link.replace("confirmer/", ""), **EN).status_code == 200


def test_the_21st_person_reads_their_waiting_list_number_in_the_mail(
    client, event, mailoutbox, delivered
):
    fill(event, 20)
    sign_up(event)

    with delivered():
        response = client.post(url(event), form_data(), follow=True, **EN)

    page = response.content.decode()
    assert "Check your inbox" in page
    assert "Join the waiting list" not in page  # the form is gone: this is the result page
    assert "a place on the waiting list, number 2, is held for you" in " ".join(
        mailoutbox[0].body.split()
    )


def test_a_full_event_offers_to_join_the_waiting_list(client, event):
    fill(event, 20)

    page = client.get(url(event), **EN).content.decode()

    assert "All 20 seats are taken" in page
    assert 'value="Join the waiting list"' in page


def test_a_french_visitor_is_recorded_as_french_speaking(client, event):
    client.post(url(event), form_data(), HTTP_ACCEPT_LANGUAGE="fr")

    assert Registration.objects.get().person.language == "fr"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": None}, "consent", "Please accept the privacy notice to sign up."),
        ({"email": "not an address"}, "email", "Enter a valid email address."),
        ({"first_name": "   "}, "first_name", "This field is required."),
        ({"profile": "astronaut"}, "profile", "Select a valid choice."),
        ({"interests": "x" * 2001}, "interests", "at most 2000 characters"),
    ],
)
def test_invalid_sign_up_says_why_beside_the_field_and_saves_nothing(
    client, event, mailoutbox, overrides, field, message
):
    response = client.post(url(event), form_data(**overrides), **EN)

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert Registration.objects.count() == 0
    assert mailoutbox == []


def test_same_address_again_tells_an_email_was_sent_and_shows_no_details(
    client, event, mailoutbox, delivered
):
    sign_up(event, email="ada@example.org", organisation="Secret Org", first_name="Adeline")

    with delivered():
        response = client.post(
            url(event), form_data(email="ADA@example.org", first_name="Mallory"), follow=True, **EN
        )

    page = response.content.decode()
    assert "Check your inbox" in page
    assert "Secret Org" not in page and "Adeline" not in page
    assert "seat is confirmed" not in page and "already" not in page
    assert Registration.objects.count() == 1
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]
    assert "Nothing else has changed" in mailoutbox[0].body  # the mail says what is true


def _main(page: str) -> str:
    """The result page's text, with the address and the time to confirm before taken out."""
    text = " ".join(page.split("<main")[1].split("</main>")[0].split())
    return re.sub(r"sent to \S+ before [^(]+\(Paris time\)", "sent to … before …", text)


def test_the_result_page_is_the_same_for_a_new_a_known_and_a_waitlisted_address(client, event):
    fill(event, 19)
    sign_up(event, email="known@example.org")
    sign_up(event, email="waiting@example.org")

    pages = [
        _main(client.post(url(event), form_data(email=address), follow=True, **EN).content.decode())
        for address in ("new@example.org", "known@example.org", "waiting@example.org")
    ]

    assert pages[0] == pages[1] == pages[2]
    assert "Check your inbox" in pages[0]


@pytest.mark.parametrize(
    ("overrides", "text"),
    [
        ({"registration_opens_at": timezone.now() + dt.timedelta(days=2)}, "Sign-up opens on"),
        (
            {
                "registration_opens_at": timezone.now() - dt.timedelta(days=5),
                "registration_closes_at": timezone.now() - dt.timedelta(hours=1),
            },
            "The sign-up period for this day is over.",
        ),
    ],
)
def test_a_closed_form_says_so_and_accepts_nothing(client, make_event, overrides, text):
    event = make_event(**overrides)

    shown = client.get(url(event), **EN).content.decode()
    posted = client.post(url(event), form_data(), **EN)

    assert text in shown
    assert 'name="first_name"' not in shown
    assert posted.status_code == 200
    assert text in posted.content.decode()
    assert Registration.objects.count() == 0


def test_an_unknown_event_is_not_found(client, event):
    assert client.get("/inscription/no-such-day/").status_code == 404


def test_an_unpublished_event_is_not_found_and_takes_nothing(client, make_event):
    event = make_event(is_published=False)

    assert client.get(url(event), **EN).status_code == 404
    assert client.post(url(event), form_data(), **EN).status_code == 404
    assert Registration.objects.count() == 0


def test_the_result_page_without_a_sign_up_sends_back_to_the_form(client, event):
    response = client.get(f"{url(event)}merci/")

    assert response.status_code == 302
    assert response["Location"] == url(event)


def test_sign_up_page_runs_a_handful_of_queries(client, event, django_assert_max_num_queries):
    fill(event, 25)

    with django_assert_max_num_queries(4):
        client.get(url(event))


# The private page


def test_private_page_shows_what_is_stored_and_the_position(client, event, mailoutbox, delivered):
    fill(event, 20)
    link = private_link(event, client, mailoutbox, delivered, needs="Vegetarian")

    response = client.get(link, **EN)

    page = response.content.decode()
    assert "You are number 1 on the waiting list" in page
    for stored in ["Ada Lovelace", "ada@example.org", "Coopérative numérique", "Vegetarian"]:
        assert stored in page
    assert "Leave the waiting list" in page


def test_private_page_is_never_cached_and_sends_no_referer_to_other_sites(
    client, event, mailoutbox, delivered
):
    link = private_link(event, client, mailoutbox, delivered)

    response = client.get(link)

    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["", "annuler/", "accepter/", "refuser/"])
def test_an_unknown_link_gets_a_clear_page(client, event, path):
    sign_up(event)

    response = client.get(f"/mon-inscription/not-a-valid-token/{path}", **EN)

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_cancel_asks_for_confirmation_and_a_get_changes_nothing(
    client, event, mailoutbox, delivered
):
    link = private_link(event, client, mailoutbox, delivered)

    response = client.get(link + "annuler/", **EN)

    assert "Cancel your sign-up?" in response.content.decode()
    assert 'method="post"' in response.content.decode()
    assert Registration.objects.get().status == Status.CONFIRMED


def test_cancel_is_a_post_protected_against_forgery(client, event, mailoutbox, delivered):
    link = private_link(event, client, mailoutbox, delivered)

    response = Client(enforce_csrf_checks=True).post(link + "annuler/")

    assert response.status_code == 403
    assert Registration.objects.get().status == Status.CONFIRMED


def test_cancelling_from_the_private_page_frees_the_seat_for_the_waiting_list(
    client, event, mailoutbox, delivered
):
    link = private_link(event, client, mailoutbox, delivered)
    fill(event, 19)
    waiting = sign_up(event).registration

    with delivered():
        response = client.post(link + "annuler/", follow=True, **EN)

    assert "Your sign-up is cancelled" in response.content.decode()
    assert Registration.objects.get(person__email="ada@example.org").status == Status.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_accepting_an_offered_seat_from_the_private_page(client, event, mailoutbox, delivered):
    seated = fill(event, 20)
    sign_up(event, email="ada@example.org")
    with delivered():
        services.cancel(registration=seated[0], by=PUBLIC)
    offer = next(m for m in mailoutbox if m.to == ["ada@example.org"])
    link = f"/mon-inscription/{link_token(offer)}/"
    assert "A seat is held for you" in client.get(link, **EN).content.decode()

    asked = client.get(link + "accepter/", **EN)
    response = client.post(link + "accepter/", follow=True, **EN)

    assert "Accept the seat?" in asked.content.decode()
    assert "Your seat is confirmed" in response.content.decode()
    assert Registration.objects.get(person__email="ada@example.org").status == Status.CONFIRMED


def test_declining_an_offered_seat_from_the_private_page(client, event, mailoutbox, delivered):
    seated = fill(event, 20)
    sign_up(event, email="ada@example.org")
    nxt = sign_up(event).registration
    with delivered():
        services.cancel(registration=seated[0], by=PUBLIC)
    offer = next(m for m in mailoutbox if m.to == ["ada@example.org"])
    link = f"/mon-inscription/{link_token(offer)}/"

    response = client.post(link + "refuser/", follow=True, **EN)

    assert "You have given up the seat" in response.content.decode()
    assert Registration.objects.get(person__email="ada@example.org").status == Status.CANCELLED
    nxt.refresh_from_db()
    assert nxt.status == Status.OFFERED


def test_accepting_a_lapsed_offer_says_it_is_no_longer_open(client, event, mailoutbox, delivered):
    seated = fill(event, 20)
    sign_up(event, email="ada@example.org")
    with delivered():
        services.cancel(registration=seated[0], by=PUBLIC)
    offer = next(m for m in mailoutbox if m.to == ["ada@example.org"])
    Registration.objects.filter(person__email="ada@example.org").update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    response = client.post(f"/mon-inscription/{link_token(offer)}/accepter/", follow=True, **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "This seat offer is no longer open." in page
    assert "The seat offered to you has gone" in page
    assert Registration.objects.get(person__email="ada@example.org").status == Status.EXPIRED


def test_the_accept_page_of_someone_without_an_offer_sends_back_to_their_page(
    client, event, mailoutbox, delivered
):
    link = private_link(event, client, mailoutbox, delivered)

    response = client.get(link + "accepter/", **EN)

    assert response.status_code == 302
    assert response["Location"] == link


# Lost link


def test_lost_link_form_emails_a_working_link_and_the_old_one_stops(
    client, event, mailoutbox, delivered
):
    old_link = private_link(event, client, mailoutbox, delivered)

    with delivered():
        client.post("/lien-perdu/", {"email": "ADA@example.org"}, **EN)

    new_link = f"/mon-inscription/{link_token(mailoutbox[-1])}/"
    assert client.get(new_link).status_code == 200
    assert client.get(old_link).status_code == 404


def test_an_offer_past_its_deadline_is_shown_closed_before_the_lapse_is_recorded(
    client, event, mailoutbox, delivered
):
    seated = fill(event, 20)
    sign_up(event, email="ada@example.org")
    with delivered():
        services.cancel(registration=seated[0], by=PUBLIC)
    offer = next(m for m in mailoutbox if m.to == ["ada@example.org"])
    link = f"/mon-inscription/{link_token(offer)}/"
    Registration.objects.filter(person__email="ada@example.org").update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    page = client.get(link, **EN).content.decode()
    accept = client.get(link + "accepter/", **EN)

    assert "The deadline to accept it has passed" in page
    assert "Accept the seat" not in page
    assert accept.status_code == 302
