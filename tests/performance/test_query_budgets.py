"""Each page runs a small, fixed number of SQL queries, however many people signed up.

A page whose queries grow with the sign-ups (one per row shown, one per seat counted) is
fast in tests and slow on the day the call goes out. Each page is counted with few sign-ups
and with 500, and must stay within its budget and run the same number of queries both times.
Every measured request comes from a new visitor (no session yet), as in a burst. A sign-up
only records its mail: the mail worker sends it, outside the request.
"""

import datetime as dt
import itertools
from itertools import islice

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from iness import tokens
from iness.models import Event, Person
from registrations import services
from registrations.models import Registration
from tests.registrations.conftest import person

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Budgets: what each request runs today. None leaves room for a query per row. In tests the
# transactions are savepoints, counted here (SAVEPOINT and RELEASE); on the site they are not.
HOME = 1  # the event, whose row holds its count of seats held
FORM = 1  # the event (the empty form is rendered from the cache)
# The form page's event; the person, locked (a new one: written, then read, 3); under the
# event lock 9 (the event row, lapsed offers, lapsed holds, free seats to offer or the
# waiting-list position, the same person's sign-up, the seat count, the registration, its
# history, 1 mail recorded: the organisers hear of it once the address is confirmed); the
# session 2; savepoints 6 (the sign-up's, the event lock's, the session's).
# Nothing after commit: no mail is sent.
SIGN_UP = 21
# An organiser's sign-up (no confirmation needed): 10 under the event lock (as above, with
# its 2 mails: the person's, the organisers'), and the release of its savepoint.
SIGN_UP_UNDER_LOCK = 11
RESULT = 3  # the session, the event, the sign-up with its person (the page gives the address)
MANAGE = 2  # the registration with its event, the waiting-list position


_numbers = itertools.count()


def crowd(event, **statuses: int) -> None:
    """People signed up already, by status: crowd(event, confirmed=20, waitlisted=480).

    Written in bulk, past the services: the event's seat count is set to match."""
    now = timezone.now()
    numbers = [(status, n) for status, count in statuses.items() for n in islice(_numbers, count)]
    people = Person.objects.bulk_create(
        Person(
            first_name="Someone",
            last_name=f"Number {n}",
            email=f"someone-{n}@example.org",
            email_key=f"someone-{n}@example.org",
            consent_at=now,
        )
        for _status, n in numbers
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            person=person,
            organisation="Somewhere",
            profile="researcher",
            organisation_kind="research",
            status=status,
            token_hash=tokens.new_token()[1],
            created_at=now - dt.timedelta(days=1) + dt.timedelta(seconds=n),
        )
        for (status, n), person in zip(numbers, people, strict=True)
    )
    held = Registration.objects.filter(event=event).holding_seat().count()
    Event.objects.filter(pk=event.pk).update(seats_held=held)


def form_data(email: str) -> dict:
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": email,
        "organisation": "Coopérative numérique",
        "organisation_kind": "ess",
        "profile": "both",
        "consent": "on",
    }


@pytest.fixture
def count_queries(django_assert_max_num_queries, django_capture_on_commit_callbacks):
    """Run a request within a budget, after-commit work included; returns how many it ran."""

    def count(request, budget: int) -> int:
        with django_assert_max_num_queries(budget) as captured:
            with django_capture_on_commit_callbacks(execute=True):
                response = request()
        assert response.status_code in (200, 302)
        return len(captured)

    return count


def new_visitor() -> Client:
    return Client(**EN)


def test_home_page_runs_the_same_few_queries_with_500_sign_ups(event, count_queries):
    new_visitor().get("/")  # what is loaded once per process is loaded
    few = count_queries(lambda: new_visitor().get("/"), HOME)
    crowd(event, confirmed=20, cancelled=20, waitlisted=460)
    many = count_queries(lambda: new_visitor().get("/"), HOME)

    assert many == few
    assert "0 seats left out of 20" in new_visitor().get("/").content.decode()


def test_sign_up_form_runs_the_same_few_queries_with_500_sign_ups(event, count_queries):
    form = f"/inscription/{event.slug}/"
    new_visitor().get(form)
    few = count_queries(lambda: new_visitor().get(form), FORM)
    crowd(event, confirmed=20, cancelled=20, waitlisted=460)
    many = count_queries(lambda: new_visitor().get(form), FORM)

    assert many == few
    assert "Join the waiting list" in new_visitor().get(form).content.decode()


@pytest.mark.parametrize(
    "outcome, before, then",
    [
        # Seats left: the 500 are people who cancelled or let an offer lapse.
        ("held", {}, {"cancelled": 300, "expired": 200}),
        # Seats full: the 500 are on the waiting list.
        ("waitlisted", {"confirmed": 20}, {"waitlisted": 500}),
    ],
)
def test_a_sign_up_runs_the_same_queries_with_500_sign_ups(
    event, count_queries, outcome, before, then
):
    form = f"/inscription/{event.slug}/"
    crowd(event, **before)
    new_visitor().post(form, form_data("first@example.org"))  # loads what is loaded once

    few = count_queries(lambda: new_visitor().post(form, form_data("few@example.org")), SIGN_UP)
    crowd(event, **then)
    many = count_queries(lambda: new_visitor().post(form, form_data("many@example.org")), SIGN_UP)

    assert many == few
    assert Registration.objects.get(person__email="many@example.org").status == outcome


def test_a_sign_up_holds_the_event_lock_for_a_fixed_few_queries(event):
    crowd(event, confirmed=20, cancelled=20, waitlisted=460)
    under_lock = []

    def watch(execute, sql, params, many, context):
        if ("FOR UPDATE" in sql and "iness_event" in sql) or under_lock:
            under_lock.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        outcome = services.register(verified=True, event=event, data=person())

    assert outcome.position == 461
    if connection.features.has_select_for_update:  # on SQLite the lock is the transaction
        assert 0 < len(under_lock) <= SIGN_UP_UNDER_LOCK


def test_result_page_runs_the_same_few_queries_with_500_sign_ups(event, count_queries):
    form, result = f"/inscription/{event.slug}/", f"/inscription/{event.slug}/merci/"

    def signed_up_visitor(email: str) -> Client:
        visitor = new_visitor()
        visitor.post(form, form_data(email))
        return visitor

    signed_up_visitor("first@example.org").get(result)
    few_visitor = signed_up_visitor("few@example.org")
    few = count_queries(lambda: few_visitor.get(result), RESULT)
    crowd(event, confirmed=18, cancelled=20, waitlisted=460)  # with the 2 above, every seat
    many_visitor = signed_up_visitor("many@example.org")
    many = count_queries(lambda: many_visitor.get(result), RESULT)

    assert many == few
    assert "Check your inbox" in many_visitor.get(result).content.decode()
    assert Registration.objects.get(person__email="many@example.org").status == "waitlisted"


def test_management_page_runs_the_same_few_queries_with_500_sign_ups(event, count_queries):
    def private_page_of(email: str) -> str:
        registration = services.register(
            verified=True, event=event, data=person(email=email)
        ).registration
        token, registration.token_hash = tokens.new_token()
        registration.save(update_fields=["token_hash"])
        return f"/mon-inscription/{token}/"

    crowd(event, confirmed=20)
    new_visitor().get(private_page_of("first@example.org"))
    page = private_page_of("few@example.org")
    few = count_queries(lambda: new_visitor().get(page), MANAGE)
    crowd(event, cancelled=20, waitlisted=480)
    page = private_page_of("many@example.org")
    many = count_queries(lambda: new_visitor().get(page), MANAGE)

    assert many == few
    assert "You are number 483 on the waiting list" in new_visitor().get(page).content.decode()
