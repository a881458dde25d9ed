"""The seat rule in the database too: Event.seats_held, kept by the one state setter and checked
against the capacity, so that a path which forgets the event lock fails instead of
overbooking; and offer_hours kept to a range that cannot break dates. On SQLite and
PostgreSQL (CI runs both); the threaded version is in test_concurrency.py."""

import datetime as dt
import random

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from iness.models import MAX_OFFER_HOURS, Event, Person
from registrations import services
from registrations.models import Registration
from registrations.services.states import set_status

from .conftest import fill, sign_up

pytestmark = pytest.mark.django_db

Status = Registration.Status


def held(event) -> int:
    return Event.objects.values_list("seats_held", flat=True).get(pk=event.pk)


def test_the_setter_without_the_lock_gets_an_integrity_error_instead_of_a_21st_seat(event):
    fill(event, 20)
    stray = Registration(
        event=event,
        person=Person.objects.create(first_name="Eve", last_name="S", email="eve@example.org"),
        organisation="Elsewhere",
        profile="other",
        organisation_kind="other",
        token_hash="e" * 64,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        set_status(stray, Status.CONFIRMED, by="a path that forgot the lock")

    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 20
    assert held(event) == 20
    assert not Registration.objects.filter(person__email="eve@example.org").exists()


def test_promoting_past_the_cap_without_the_lock_is_refused_by_the_database(make_event):
    event = make_event(capacity=1)
    fill(event, 1)
    waiting = sign_up(event).registration

    with pytest.raises(IntegrityError), transaction.atomic():
        set_status(waiting, Status.CONFIRMED, by="a path that forgot the lock")

    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED


def test_the_seat_count_follows_every_change(make_event):
    """A random mix of everything that takes or frees a seat: after each, the event's count
    is the number of rows holding a seat."""
    event = make_event(capacity=3)
    chance = random.Random(20261204)
    actions = ["sign up", "cancel", "accept", "decline", "promote", "lapse", "capacity"]
    for step in range(150):
        action = chance.choice(actions)
        rows = list(Registration.objects.filter(event=event).order_by("pk"))
        active = [r for r in rows if r.is_active]
        offered = [r for r in rows if r.status == Status.OFFERED]
        waiting = [r for r in rows if r.status == Status.WAITLISTED]
        try:
            if action == "sign up":
                sign_up(event)
            elif action == "cancel" and active:
                services.cancel(registration=chance.choice(active), by="test")
            elif action == "accept" and offered:
                services.accept_offer(registration=chance.choice(offered), by="test")
            elif action == "decline" and offered:
                services.decline_offer(registration=chance.choice(offered), by="test")
            elif action == "promote" and waiting + offered:
                services.promote(registration=chance.choice(waiting + offered), by="test")
            elif action == "lapse" and offered:
                Registration.objects.filter(pk=chance.choice(offered).pk).update(
                    offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
                )
                services.expire_offers(by="test", event=event)
            elif action == "capacity":
                services.set_capacity(event=event, capacity=chance.randint(1, 6), by="test")
        except services.NoSeatAvailable:
            pass  # every seat held: the promotion is refused, nothing changes
        except services.CapacityError:
            pass  # below the seats held: refused, nothing changes
        holding = Registration.objects.filter(event=event).holding_seat().count()
        event.refresh_from_db()
        assert event.seats_held == holding <= event.capacity, (step, action)


def test_the_pages_read_the_count(client, make_event):
    event = make_event(capacity=3)
    fill(event, 2)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    event.refresh_from_db()
    assert services.seats_left(event) == 1
    assert "1 seat left out of 3" in page


# offer_hours


def test_the_database_refuses_an_offer_of_no_time_or_of_too_long(event):
    for hours in (0, MAX_OFFER_HOURS + 1):
        with pytest.raises(IntegrityError), transaction.atomic():
            Event.objects.filter(pk=event.pk).update(offer_hours=hours)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "A seat offer must last at least one hour."),
        ("100000000", "A seat offer can last at most 1440 hours (60 days)."),
    ],
)
def test_the_admin_refuses_an_offer_length_beside_the_field(admin_client, event, hours, message):
    url = reverse("admin:iness_event_change", args=[event.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    for name in ("registration_opens_at", "registration_closes_at", "proposals_close_at"):
        moment = timezone.localtime(getattr(event, name))
        data[f"{name}_0"], data[f"{name}_1"] = f"{moment:%Y-%m-%d}", f"{moment:%H:%M:%S}"
        data.pop(name, None)

    response = admin_client.post(url, {**data, "offer_hours": hours}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert message in response.content.decode()
    event.refresh_from_db()
    assert event.offer_hours == 48


def test_a_long_offer_never_runs_past_the_day(make_event):
    event = make_event(capacity=1, offer_hours=MAX_OFFER_HOURS)
    first = sign_up(event).registration
    second = sign_up(event).registration

    services.cancel(registration=first, by="test")

    second.refresh_from_db()
    assert second.status == Status.OFFERED
    assert second.offer_expires_at == event.start
