"""What the worker does with each kind of reply from a real (local) SMTP server."""

import time

import pytest
from django.utils import timezone

from iness import sending
from iness.mail import queue_message
from iness.models import MailServerState, OutgoingMail
from tests.smtp import RawServer, SmtpServer, free_port, use_smtp

pytestmark = pytest.mark.django_db

Status = OutgoingMail.Status


@pytest.fixture
def server(settings):
    port = free_port()
    use_smtp(settings, port)
    server = SmtpServer(port)
    server.start()
    yield server
    server.stop()


def one_message() -> OutgoingMail:
    return queue_message(to="ada@example.org", subject="Sujet", body="Texte", kind="test")


def outcome(record: OutgoingMail) -> tuple:
    record.refresh_from_db()
    state = MailServerState.objects.filter(pk=1).first()
    return record.status, record.last_error, state.reason if state else None


def test_a_message_the_server_accepts_is_sent(server):
    record = one_message()

    sending.send_due()

    assert outcome(record) == (Status.SENT, "", None)
    assert [e.rcpt_tos for e in server.received] == [["ada@example.org"]]


@pytest.mark.parametrize("reply", ["550 5.1.1 No such user", "553 5.1.3 Bad address"])
def test_a_recipient_refused_with_5xx_fails_for_good(server, reply):
    server.replies["RCPT"] = reply
    record = one_message()

    sending.send_due()

    assert outcome(record) == (Status.FAILED, f"SMTPRecipientsRefused {reply[:3]}", None)


def test_a_mailbox_refused_after_the_data_fails_for_good(server):
    server.replies["DATA"] = "552 5.2.2 Mailbox full"
    record = one_message()

    sending.send_due()

    assert outcome(record) == (Status.FAILED, "SMTPDataError 552", None)


def test_a_wrong_password_is_the_servers_problem_not_the_messages(settings):
    port = free_port()
    use_smtp(settings, port, user="iness", password="wrong")
    server = SmtpServer(port, password_ok=False)
    server.start()
    try:
        record = one_message()
        sending.send_due()
    finally:
        server.stop()

    assert outcome(record) == (Status.QUEUED, "SMTPAuthenticationError 535", "authentication")


def test_a_refused_sender_is_the_servers_problem(server):
    server.replies["MAIL"] = "553 5.7.1 Sender address rejected"
    record = one_message()

    sending.send_due()

    assert outcome(record) == (Status.QUEUED, "SMTPSenderRefused 553", "sender_refused")


def test_a_server_closing_with_421_is_the_servers_problem(server):
    server.replies["MAIL"] = "421 4.3.2 Service shutting down"
    record = one_message()

    sending.send_due()

    assert outcome(record) == (Status.QUEUED, "SMTPSenderRefused 421", "closing")


def test_a_server_that_never_answers_times_out_and_keeps_the_message(settings):
    port = free_port()
    use_smtp(settings, port)
    settings.EMAIL_TIMEOUT = 1
    silent = RawServer(port)
    try:
        record = one_message()
        started = time.monotonic()
        sending.send_due()
        took = time.monotonic() - started
    finally:
        silent.stop()

    assert outcome(record) == (Status.QUEUED, "SMTPServerDisconnected", "timeout")
    assert took < 5


def test_a_server_that_drips_is_cut_at_the_send_deadline(settings):
    port = free_port()
    use_smtp(settings, port)
    settings.EMAIL_TIMEOUT = 5  # each byte comes well within it: only the deadline helps
    settings.MAIL_SEND_DEADLINE = 2
    dripping = RawServer(port, drip=b"220-slow", every=0.3)
    try:
        record = one_message()
        started = time.monotonic()
        sending.send_due()
        took = time.monotonic() - started
    finally:
        dripping.stop()

    status, _error, reason = outcome(record)
    assert (status, reason) == (Status.QUEUED, "too_slow")
    assert 1.5 < took < 6


def test_a_server_down_keeps_the_message_and_organisers_see_why(settings, admin_client):
    use_smtp(settings, free_port())  # nothing listens there
    record = one_message()

    sending.send_due()

    assert outcome(record) == (Status.QUEUED, "ConnectionRefusedError", "unreachable")
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Emails are not going out since" in page
    assert "the mail server cannot be reached" in page


def test_mail_waiting_for_long_tells_organisers_the_worker_seems_stopped(admin_client):
    record = one_message()
    due_since = timezone.now() - sending.WAITING_TOO_LONG * 2
    OutgoingMail.objects.filter(pk=record.pk).update(
        created_at=due_since, next_attempt_at=due_since
    )

    page = admin_client.get("/admin/iness/event/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "1 email has been waiting to be sent since" in page
    assert "manage.py mail_worker" in page


def test_no_banner_for_mail_waiting_for_its_retry(admin_client):
    record = one_message()
    long_ago = timezone.now() - sending.WAITING_TOO_LONG * 2
    OutgoingMail.objects.filter(pk=record.pk).update(
        created_at=long_ago, next_attempt_at=timezone.now() + sending.WAITING_TOO_LONG
    )

    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "mail-banner" not in page


def test_no_banner_while_mail_flows(admin_client, server):
    one_message()
    sending.send_due()

    assert (
        "mail-banner" not in admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_organisers_see_failed_mail_and_where_to_find_it(admin_client, server):
    server.replies["RCPT"] = "550 5.1.1 No such user"
    one_message()
    sending.send_due()

    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "1 email could not be delivered in the last 7 days." in page
    assert "/admin/iness/outgoingmail/?status__exact=failed" in page
