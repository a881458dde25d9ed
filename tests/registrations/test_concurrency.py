"""The cap under load: real threads, each with its own database connection.

Races are rare by nature, so every test here widens the window between counting the seats
and writing the registration with a short pause (the service's test hook), as pretix's
concurrency tests do. The control test takes the lock away and shows the same run races for
real (without it, the other tests could pass by luck), and that the database's backstop
(Event.seats_held <= capacity) then refuses the seats too many instead of overbooking.
"""

import contextlib
import threading
import time
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, connection, connections

from iness.history import PUBLIC
from iness.models import Event
from registrations import services
from registrations.models import Registration
from registrations.services import seats

from .conftest import fill, person

pytestmark = pytest.mark.django_db(transaction=True)

Status = Registration.Status
PAUSE = 0.02


@pytest.fixture
def widened_window(monkeypatch):
    monkeypatch.setattr(seats, "_between_count_and_insert", lambda: time.sleep(PAUSE))


def race(jobs, *, errors=None):
    """Run every job in its own thread, all released at once; returns results in order.

    Any exception fails the test, unless `errors` (a list) is given to collect them."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    expected, errors = errors is not None, errors if errors is not None else []

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if not expected:
        assert errors == []
    return results


def sign_up_job(event):
    data = person()
    return lambda: services.register(event=event, data=data)


def test_sixty_simultaneous_sign_ups_hold_exactly_twenty_seats_then_twenty_are_confirmed(
    event, widened_window
):
    outcomes = race([sign_up_job(event) for _ in range(60)])

    statuses = [outcome.registration.status for outcome in outcomes]
    assert statuses.count(Status.HELD) == 20
    assert statuses.count(Status.WAITLISTED) == 40
    assert Registration.objects.filter(status=Status.HELD).count() == 20
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 0
    positions = sorted(outcome.position for outcome in outcomes if outcome.position)
    assert positions == list(range(1, 41))
    # The positions people were told are the order the waiting list will be served in.
    for outcome in outcomes:
        assert services.waitlist_position(outcome.registration) == outcome.position

    # Everyone confirms their address at once: the held seats become the confirmed ones.
    race(
        [
            lambda r=outcome.registration: services.verify(registration=r, by=PUBLIC)
            for outcome in outcomes
        ]
    )

    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 20
    assert Registration.objects.filter(status=Status.WAITLISTED, verify_by=None).count() == 40
    event.refresh_from_db()
    assert event.seats_held == 20


def test_without_the_lock_the_database_refuses_the_seats_too_many(
    event, widened_window, monkeypatch
):
    @contextlib.contextmanager
    def no_lock(event):
        yield Event.objects.get(pk=event.pk)

    monkeypatch.setattr(seats, "_event_lock", no_lock)
    if connection.vendor == "sqlite":
        # No transaction around the count at all: on SQLite an IMMEDIATE transaction is
        # itself the lock. The state setter keeps its own (the seat count and the row).
        monkeypatch.setattr(seats, "transaction", SimpleNamespace(atomic=contextlib.nullcontext))
    errors = []

    race([sign_up_job(event) for _ in range(60)], errors=errors)

    # The race is real: sign-ups that counted a free seat which was gone by the time they
    # wrote were refused by the database (without the backstop, they overbooked)...
    assert errors and all(isinstance(error, IntegrityError) for error in errors)
    # ...so the cap holds, and the seat count is the seats held.
    held = Registration.objects.filter(status=Status.HELD).count()
    event.refresh_from_db()
    assert held == event.seats_held <= 20


def test_cancellations_racing_sign_ups_never_exceed_the_capacity(event, widened_window):
    seated = fill(event, 20)
    waiting = fill(event, 10)
    samples = []
    running = threading.Event()

    def watch():
        running.set()
        while running.is_set():
            samples.append(Registration.objects.holding_seat().count())
            time.sleep(0.005)
        connections.close_all()

    watcher = threading.Thread(target=watch)
    watcher.start()
    jobs = [
        *(lambda r=r: services.cancel(registration=r, by=PUBLIC) for r in seated[:10]),
        *(sign_up_job(event) for _ in range(20)),
    ]
    try:
        race(jobs)
    finally:
        running.clear()
        watcher.join()

    assert samples and max(samples) <= 20
    counts = {
        status: Registration.objects.filter(status=status).count()
        for status in [Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED, Status.CANCELLED]
    }
    assert counts == {
        Status.CONFIRMED: 10,
        Status.OFFERED: 10,
        Status.WAITLISTED: 20,
        Status.CANCELLED: 10,
    }
    # Freed seats went to the people who were waiting first, not to the newcomers.
    assert {r.pk for r in Registration.objects.filter(status=Status.OFFERED)} == {
        r.pk for r in waiting
    }
