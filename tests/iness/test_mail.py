import datetime as dt
import smtplib

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from iness.mail import queue_message, send_due
from iness.models import OutgoingMail

pytestmark = pytest.mark.django_db


class RefusingBackend:
    """A mail server that cannot be reached, or that answers with an SMTP code."""

    error: Exception = ConnectionRefusedError(111, "Connection refused")

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise type(self).error


class PermanentlyRefusingBackend(RefusingBackend):
    error = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})


def test_message_is_recorded_and_sent_after_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            queue_message(to="ada@example.org", subject="Bonjour", body="Texte", kind="test")
            assert len(mailoutbox) == 0

    record = OutgoingMail.objects.get()
    assert record.status == OutgoingMail.Status.SENT
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]


def test_message_is_not_sent_when_its_transaction_rolls_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_message(to="ada@example.org", subject="Bonjour", body="Texte", kind="test")
            raise RuntimeError("the change that caused the mail failed")

    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []


def test_message_survives_a_refusing_mail_server_and_is_sent_by_the_command_later(
    settings, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(to="ada@example.org", subject="Votre place", body="Texte", kind="test")

    record = OutgoingMail.objects.get()
    assert record.status == OutgoingMail.Status.QUEUED
    assert record.attempts == 1
    assert "ConnectionRefusedError" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_queued_mail")
    assert mailoutbox == []  # not yet: the retry waits its turn

    counts = send_due(now=timezone.now() + dt.timedelta(minutes=3))

    record.refresh_from_db()
    assert counts == {"sent": 1, "not_sent": 0}
    assert record.status == OutgoingMail.Status.SENT
    assert [m.subject for m in mailoutbox] == ["Votre place"]


def test_permanent_refusal_is_not_retried(settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.PermanentlyRefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(to="x@example.org", subject="Sujet", body="Texte", kind="test")

    send_due(now=timezone.now() + dt.timedelta(days=1))

    record = OutgoingMail.objects.get()
    assert record.status == OutgoingMail.Status.FAILED
    assert record.attempts == 1
    assert "550" in record.last_error


def test_retries_stop_after_the_maximum_number_of_attempts(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RefusingBackend"
    settings.MAIL_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(to="ada@example.org", subject="Sujet", body="Texte", kind="test")

    for hours in (1, 2, 3, 4):
        send_due(now=timezone.now() + dt.timedelta(hours=hours))

    record = OutgoingMail.objects.get()
    assert record.status == OutgoingMail.Status.FAILED
    assert record.attempts == 3


def test_a_message_is_sent_once_even_when_the_command_runs_twice(mailoutbox):
    queue_message(to="ada@example.org", subject="Une fois", body="Texte", kind="test")

    send_due()
    send_due()

    assert len(mailoutbox) == 1


def test_newlines_in_a_subject_never_reach_the_header(mailoutbox):
    queue_message(
        to="ada@example.org", subject="Bonjour\nBcc: eve@example.org", body="Texte", kind="test"
    )
    send_due()

    assert mailoutbox[0].subject == "Bonjour Bcc: eve@example.org"
    assert mailoutbox[0].recipients() == ["ada@example.org"]


def test_error_log_does_not_contain_the_recipient(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(to="secret.person@example.org", subject="Sujet", body="Texte", kind="test")

    assert "not sent" in caplog.text
    assert "secret.person" not in caplog.text


def test_after_a_failure_requests_leave_mail_queued_instead_of_waiting_for_the_server(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAIL_PAUSE_SECONDS = 120
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(to="first@example.org", subject="Un", body="Texte", kind="test")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(to="second@example.org", subject="Deux", body="Texte", kind="test")

    second = OutgoingMail.objects.get(to="second@example.org")
    assert (second.status, second.attempts) == (OutgoingMail.Status.QUEUED, 0)
    assert mailoutbox == []

    send_due(now=timezone.now() + dt.timedelta(minutes=3))

    assert sorted(m.to[0] for m in mailoutbox) == ["first@example.org", "second@example.org"]
