"""A seat belongs to someone who can read its mail (issue 13, items 1, 2, 5; issue 12, items
3 and 6): public sign-ups hold a seat or a place until the address is confirmed by a POST
from the mailed link, holds and offers count from when their mail reached the server, and no
live link is ever kept in the outbox."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from iness.dates import format_date
from iness.history import PUBLIC
from iness.models import Event, OutgoingMail
from registrations import services
from registrations.models import Registration
from tests.conftest import deliver_mail
from tests.states import signup_form_data

from .conftest import fill, sign_up

pytestmark = pytest.mark.django_db

Status = Registration.Status
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LINK = re.compile(r"http://testserver(/mon-inscription/[A-Za-z0-9_-]+/(?:confirmer/)?)")


@pytest.fixture
def clock(monkeypatch):
    """`clock(minutes=31)` moves the site's clock on by that much (every `timezone.now()`)."""
    real_now = timezone.now
    shift = dt.timedelta(0)

    def move(**delta):
        nonlocal shift
        shift += dt.timedelta(**delta)

    monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)
    return move


def form_data(email: str) -> dict:
    return signup_form_data(email=email)


def links_mailed_to(mailoutbox, email: str) -> list[str]:
    return [
        LINK.search(m.body).group(1) for m in mailoutbox if m.to == [email] and LINK.search(m.body)
    ]


def test_twenty_five_sign_ups_nobody_reads_hold_twenty_seats_that_lapse_back(client, event, clock):
    for n in range(25):
        client.post(f"/inscription/{event.slug}/", form_data(f"bot{n}@example.com"), **EN)

    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 0
    assert Registration.objects.filter(status=Status.HELD).count() == 20
    assert Registration.objects.filter(status=Status.WAITLISTED).count() == 5
    deliver_mail()  # the mails reach a server; nobody reads them

    clock(minutes=31)
    services.expire_offers(by="cron")

    event.refresh_from_db()
    assert event.seats_held == 0
    assert Registration.objects.filter(status=Status.LAPSED).count() == 25
    assert services.seats_left(event) == 20
    # Nobody confirmed those addresses: no more mail goes to them.
    assert not OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).exists()


def test_a_typo_never_blocks_a_real_person_longer_than_the_hold(make_event, clock, mailoutbox):
    event = make_event(capacity=1)
    sign_up(event, verified=False, email="ada@exmaple.org")  # the typo holds the only seat
    real = sign_up(event, verified=False, email="ada@example.org").registration
    assert real.status == Status.WAITLISTED
    deliver_mail()
    [link] = links_mailed_to(mailoutbox, "ada@example.org")
    Client().post(link, **EN)  # the real person confirms their place at once

    clock(minutes=31)
    services.expire_offers(by="cron")

    real.refresh_from_db()
    assert real.status == Status.OFFERED
    assert Registration.objects.get(person__email="ada@exmaple.org").status == Status.LAPSED


def test_a_get_of_every_mailed_link_changes_nothing(make_event, mailoutbox):
    event = make_event(capacity=2)
    sign_up(event, verified=False, email="held@example.org")
    seated = sign_up(event, email="seated@example.org")
    sign_up(event, verified=False, email="waiting@example.org")
    deliver_mail()
    before = list(Registration.objects.order_by("pk").values_list("status", "verify_by"))

    links = [LINK.search(m.body).group(1) for m in mailoutbox if LINK.search(m.body)]
    assert len(links) == 3
    for link in links:
        for path in {link, link.replace("confirmer/", "")}:
            assert Client().get(path, **EN).status_code in (200, 302)

    assert list(Registration.objects.order_by("pk").values_list("status", "verify_by")) == before
    assert seated.registration.status == Status.CONFIRMED


def test_confirming_a_waitlisted_place_takes_a_seat_left_free_by_unconfirmed_holds(
    make_event, clock, mailoutbox
):
    event = make_event(capacity=1)
    first = sign_up(event, verified=False, email="first@example.org").registration
    deliver_mail()
    clock(minutes=20)
    second = sign_up(event, verified=False, email="second@example.org").registration
    deliver_mail()
    clock(minutes=15)
    services.expire_offers(by="cron")  # the first hold lapses: nobody confirmed waits
    first.refresh_from_db()
    assert first.status == Status.LAPSED

    services.verify(registration=second, by=PUBLIC)

    second.refresh_from_db()
    assert second.status == Status.CONFIRMED and second.is_verified


def test_a_lapsed_hold_cannot_be_confirmed(client, event, clock, mailoutbox):
    client.post(f"/inscription/{event.slug}/", form_data("late@example.org"), **EN)
    deliver_mail()
    [link] = links_mailed_to(mailoutbox, "late@example.org")
    clock(minutes=31)

    response = client.post(link, follow=True, **EN)

    assert "was not opened in time" in response.content.decode()
    assert Registration.objects.get().status == Status.LAPSED


def test_the_hold_counts_from_when_the_mail_server_accepted_the_mail(client, event, clock):
    client.post(f"/inscription/{event.slug}/", form_data("slow@example.org"), **EN)
    registration = Registration.objects.get()

    clock(hours=3)  # the mail server was down for three hours: the mail waited
    services.expire_offers(by="cron")
    registration.refresh_from_db()
    assert registration.status == Status.HELD  # no lapse while the mail waits
    deliver_mail()
    clock(minutes=29)
    services.expire_offers(by="cron")

    registration.refresh_from_db()
    assert registration.status == Status.HELD
    assert registration.verify_by >= timezone.now()


def test_a_seat_offer_keeps_its_full_window_after_a_mail_outage(make_event, clock, mailoutbox):
    event = make_event(
        offer_hours=48, capacity=1, date=timezone.localdate() + dt.timedelta(days=20)
    )
    seated = sign_up(event, email="seated@example.org").registration
    waiting = sign_up(event, email="waiting@example.org").registration
    services.cancel(registration=seated, by=PUBLIC)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED

    clock(hours=60)  # the server is down longer than the offer window
    services.expire_offers(by="cron")
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    deliver_mail()  # the server is back: the offer mail goes now
    sent_at = OutgoingMail.objects.get(kind="registrations.offer").sent_at

    waiting.refresh_from_db()
    assert waiting.offer_expires_at == sent_at + dt.timedelta(hours=48)
    clock(hours=47)
    services.expire_offers(by="cron")
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    # The mail states the deadline counted from its sending, not from the offer.
    offer = [m for m in mailoutbox if m.to == ["waiting@example.org"]][-1]
    assert format_date(waiting.offer_expires_at) in offer.body


def test_the_outbox_keeps_no_live_link_and_a_resend_sends_a_fresh_working_one(
    client, event, mailoutbox
):
    registration = sign_up(event, email="ada@example.org").registration
    stored = OutgoingMail.objects.get(kind="registrations.confirmed")
    assert "/mon-inscription/" not in stored.body
    deliver_mail()
    [first] = links_mailed_to(mailoutbox, "ada@example.org")
    assert client.get(first, **EN).status_code == 200
    stored.refresh_from_db()
    assert "/mon-inscription/" not in stored.body

    from iness.mail import requeue

    requeue(stored)
    deliver_mail()

    second = links_mailed_to(mailoutbox, "ada@example.org")[-1]
    assert second != first
    assert client.get(second, **EN).status_code == 200
    assert client.get(first, **EN).status_code == 404  # the older link stops, as always
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_held_seats_count_on_the_home_page_and_the_form(client, make_event):
    event = make_event(capacity=3)
    fill(event, 1)
    sign_up(event, verified=False)

    page = client.get(f"/inscription/{event.slug}/", **EN).content.decode()

    assert "1 seat left out of 3" in " ".join(page.split())
    assert Event.objects.get(pk=event.pk).seats_held == 2
