"""No page waits for the mail server: a server that stalls every reply changes nothing to the
time a page takes, and "lost your link?" does the same work for known and unknown addresses.

Each reply of the local SMTP server here comes after STALL seconds: a page that talked to it
would take several times that. Bounds are generous (a busy test machine), far under STALL.
"""

import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iness.models import LinkRequest, OutgoingMail
from proposals.models import Proposal
from registrations.models import Registration
from tests import states
from tests.smtp import SmtpServer, free_port, use_smtp

pytestmark = pytest.mark.django_db

STALL = 5.0
FAST = 2.0  # seconds: far under one stalled reply, let alone a whole SMTP conversation

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def stalling_server(settings):
    port = free_port()
    use_smtp(settings, port)
    server = SmtpServer(port)
    server.stall = STALL
    server.start()
    yield server
    server.stop()


def timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def test_a_sign_up_answers_at_once_whatever_the_mail_server(client, stalling_server):
    path = states.signup_form()

    response, took = timed(lambda: client.post(path, states.signup_form_data(), **EN))

    assert response.status_code == 302 and took < FAST
    assert Registration.objects.count() == 1
    # The mail to confirm the address (organisers hear of the sign-up once it is confirmed).
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count() == 1
    assert stalling_server.received == []


def test_a_proposal_answers_at_once_whatever_the_mail_server(client, stalling_server):
    path = states.proposal_form()

    response, took = timed(lambda: client.post(path, states.proposal_form_data(), **EN))

    assert response.status_code == 302 and took < FAST
    assert Proposal.objects.count() == 1
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).exists()


def _normalised(queries) -> list[str]:
    """The SQL of each query, without the values (addresses, dates)."""
    return [re.sub(r"'[^']*'|%s|\b\d+\b", "?", q["sql"]) for q in queries]


def test_lost_link_does_the_same_work_for_known_and_unknown_addresses(client, stalling_server):
    registration = states.registration_in("confirmed")
    known, unknown = registration.person.email, "nobody-here@example.org"
    client.post("/lien-perdu/", {"email": "warm-up@example.org"}, **EN)  # loads what loads once

    runs = {}
    for address in (known, unknown) * 3:
        with CaptureQueriesContext(connection) as captured:
            response, took = timed(
                lambda a=address: client.post("/lien-perdu/", {"email": a}, **EN)
            )
        assert response.status_code == 302 and took < FAST
        runs.setdefault(address, []).append((_normalised(captured.captured_queries), took))

    assert runs[known][0][0] == runs[unknown][0][0]  # the very same queries
    assert LinkRequest.objects.count() == 7  # recorded, not looked up: the worker does that
    assert OutgoingMail.objects.filter(to=known, kind="registrations.link_again").count() == 0
    # Time: nothing in the page depends on the address, so no difference beyond noise.
    known_time = min(took for _q, took in runs[known])
    unknown_time = min(took for _q, took in runs[unknown])
    assert abs(known_time - unknown_time) < 0.3
