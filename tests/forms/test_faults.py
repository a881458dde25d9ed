"""Faults around a sign-up: the database connection lost inside its transaction, and the mail
server down or refusing during a burst of sign-ups. Run on SQLite and PostgreSQL (CI runs the
whole suite on both)."""

import threading
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from iness.models import MailServerState, OutgoingMail
from iness.sending import send_due
from registrations.models import Registration
from registrations.services import seats
from tests import states
from tests.conftest import deliver_mail
from tests.smtp import SmtpServer, free_port, use_smtp

pytestmark = pytest.mark.django_db(transaction=True)


# The database fails in the middle of a sign-up


def _lose_the_connection():
    """Break the database connection for real, after the seats are counted and before the
    sign-up is written: what a database restart or a network cut does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    else:
        connection.connection.close()  # the SQLite file's handle, under the open transaction


def test_database_lost_inside_a_sign_up_saves_nothing_queues_no_mail_and_recovers(
    monkeypatch, mailoutbox
):
    path = states.signup_form()
    data = states.signup_form_data(email="zoe@example.org")
    client = Client(raise_request_exception=False)
    monkeypatch.setattr(seats, "_between_count_and_insert", _lose_the_connection)

    failed = client.post(path, data, HTTP_ACCEPT_LANGUAGE="fr")
    # What the WSGI server does at the end of every request (the test client skips it):
    # a connection left unusable is closed, and the next request opens a new one.
    close_old_connections()
    monkeypatch.undo()
    retried = client.post(path, data, HTTP_ACCEPT_LANGUAGE="fr")

    page = failed.content.decode()
    assert failed.status_code == 500
    assert '<html lang="fr">' in page
    with translation.override("fr"):
        assert gettext("Something went wrong") in page
    assert "Traceback" not in page and "Error" not in page.split("<main", 1)[1]
    assert retried.status_code == 302
    assert Registration.objects.filter(person__email="zoe@example.org").count() == 1
    # One sign-up, its mail (to the person, to confirm the address): nothing from the
    # attempt that failed.
    assert OutgoingMail.objects.count() == 1  # the mail to confirm the address
    deliver_mail()
    assert sorted(m.to[0] for m in mailoutbox) == ["zoe@example.org"]


# The mail server is down during a burst of sign-ups


@pytest.fixture
def smtp(settings):
    """The site sends with its SMTP backend to a server that is not started yet."""
    port = free_port()
    use_smtp(settings, port)
    server = SmtpServer(port)
    yield server
    server.stop()


def _sign_up_at_once(path: str, count: int) -> list[int]:
    """`count` people send the form at the same moment, each from their own browser."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def one(n):
        try:
            client = Client()
            barrier.wait()
            data = states.signup_form_data(email=f"person{n}@example.org")
            statuses.append(client.post(path, data, HTTP_ACCEPT_LANGUAGE="en").status_code)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses


@pytest.mark.parametrize("fault", ["down", "refusing"])
def test_mail_server_fault_during_a_burst_loses_no_sign_up_and_no_mail(smtp, settings, fault):
    path = states.signup_form()
    if fault == "refusing":
        smtp.refuse = True
        smtp.start()
    people = 30

    statuses = _sign_up_at_once(path, people)

    assert statuses == [302] * people
    assert Registration.objects.count() == people
    assert Registration.objects.filter(status="held").count() == 20
    assert Registration.objects.filter(status="waitlisted").count() == 10
    queued = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED)
    assert queued.count() == people  # each person's mail to confirm the address
    assert set(queued.values_list("attempts", flat=True)) == {0}  # no page tried the server

    # The worker finds the server down or refusing: everything stays queued, it pauses.
    send_due()
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count() == people
    assert smtp.received == []

    # The server is back, and the pause is over; cron runs the command twice at the same
    # time (as two machines might), beside the worker.
    if fault == "down":
        smtp.start()
    smtp.refuse = False
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    MailServerState.objects.update(paused_until=None)
    runs = [threading.Thread(target=_send_queued_mail) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    call_command("send_queued_mail")  # and once more later: nothing left to send

    assert OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).count() == 0
    delivered = Counter(address for envelope in smtp.received for address in envelope.rcpt_tos)
    # Each person's mail to confirm the address (organisers hear of confirmed sign-ups).
    assert delivered == {f"person{n}@example.org": 1 for n in range(people)}


def _send_queued_mail():
    try:
        call_command("send_queued_mail")
    finally:
        connection.close()
