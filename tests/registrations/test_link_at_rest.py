"""No live link at rest (issue 12, item 3), black-box on PostgreSQL: a person signs up on the
public page, the mail worker sends to a real SMTP server (aiosmtpd), and a `pg_dump` of the
database then holds the token of the link they received nowhere; the link works."""

import re
from email import message_from_bytes

import pytest
from django.db import connection
from django.test import Client

from iness.sending import send_due
from registrations.models import Registration
from tests.iness.test_erasure_acceptance import dump
from tests.smtp import SmtpServer, free_port, use_smtp
from tests.states import signup_form_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="reads a pg_dump of the database: PostgreSQL only (CI runs both databases)",
    ),
]

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LINK = re.compile(r"https?://[^\s/]+/mon-inscription/([A-Za-z0-9_-]+)/")


def test_the_link_a_person_received_is_nowhere_in_a_dump_of_the_database(settings, event):
    server = SmtpServer(free_port())
    use_smtp(settings, server.port)
    server.start()
    try:
        client = Client()
        client.post(f"/inscription/{event.slug}/", signup_form_data(email="ada@example.org"), **EN)
        send_due()
    finally:
        server.stop()

    [envelope] = [e for e in server.received if e.rcpt_tos == ["ada@example.org"]]
    body = message_from_bytes(envelope.content).get_payload(decode=False)
    body = body if isinstance(body, str) else body[0].get_payload(decode=True).decode()
    token = LINK.search(body.replace("=\r\n", "").replace("=\n", "")).group(1)

    assert token not in dump()
    assert client.get(f"/mon-inscription/{token}/confirmer/", **EN).status_code == 200
    client.post(f"/mon-inscription/{token}/confirmer/", **EN)
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
