"""The outbox: pages record mail, the worker's pass sends it, once, and reads failures right.

Fake mail backends here; `test_smtp_replies.py` talks to real (local) SMTP servers.
"""

import datetime as dt
import smtplib

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from iness import mail, sending
from iness.mail import queue_message
from iness.models import MailServerState, OutgoingMail
from tests.conftest import deliver_mail

pytestmark = pytest.mark.django_db

Status = OutgoingMail.Status


class RefusingBackend:
    """A mail server that cannot be reached, or that answers with an SMTP code."""

    error: Exception = ConnectionRefusedError(111, "Connection refused")

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        raise type(self).error


class RecipientRefusedBackend(RefusingBackend):
    error = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 No such user")})


class RecipientBusyBackend(RefusingBackend):
    error = smtplib.SMTPRecipientsRefused({"x@example.org": (450, b"4.2.1 Try later")})


class PasswordRefusedBackend(RefusingBackend):
    error = smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed")


def time_passes() -> None:
    """What waiting does: every retry delay and server pause is over."""
    OutgoingMail.objects.filter(status=Status.QUEUED).update(next_attempt_at=timezone.now())
    MailServerState.objects.update(paused_until=None)


def test_a_message_is_recorded_and_sent_by_the_worker_not_when_its_transaction_commits(
    mailoutbox,
):
    with transaction.atomic():
        queue_message(to="ada@example.org", subject="Bonjour", body="Texte", kind="test")

    assert OutgoingMail.objects.get().status == Status.QUEUED
    assert mailoutbox == []

    deliver_mail()

    record = OutgoingMail.objects.get()
    assert (record.status, record.attempts) == (Status.SENT, 1)
    assert record.sent_at is not None and record.lease_until is None
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]


def test_a_message_is_not_recorded_when_its_transaction_rolls_back(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_message(to="ada@example.org", subject="Bonjour", body="Texte", kind="test")
        raise RuntimeError("the change that caused the mail failed")

    deliver_mail()

    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []


def test_an_unreachable_server_keeps_the_message_and_pauses_sending_until_it_is_back(
    settings, mailoutbox, caplog
):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RefusingBackend"
    queue_message(to="ada@example.org", subject="Votre place", body="Texte", kind="test")
    queue_message(to="bob@example.org", subject="Votre place", body="Texte", kind="test")

    first = sending.send_due()

    assert first.paused and first.retrying == 1
    assert list(OutgoingMail.objects.values_list("status", "attempts").order_by("pk")) == [
        (Status.QUEUED, 1),
        (Status.QUEUED, 0),  # not tried: the server is the problem, not the message
    ]
    state = MailServerState.objects.get()
    assert state.reason == "unreachable" and state.paused_until > timezone.now()
    assert "ConnectionRefusedError" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sending.send_due().paused  # still paused: nobody tries the server meanwhile
    assert mailoutbox == []

    time_passes()
    deliver_mail()

    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {Status.SENT}
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.org", "bob@example.org"]
    assert MailServerState.objects.get().failing_since is None


def test_each_failure_of_the_server_in_a_row_pauses_longer(settings):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.PasswordRefusedBackend"
    queue_message(to="ada@example.org", subject="Sujet", body="Texte", kind="test")
    pauses = []
    for _ in range(3):
        sending.send_due()
        state = MailServerState.objects.get()
        pauses.append(round((state.paused_until - timezone.now()).total_seconds()))
        time_passes()

    assert pauses == [15, 30, 60]
    assert state.reason == "authentication" and state.failures == 3
    assert OutgoingMail.objects.get().status == Status.QUEUED


def test_a_recipient_refused_for_good_fails_at_once_and_the_others_go(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RecipientRefusedBackend"
    queue_message(to="x@example.org", subject="Sujet", body="Texte", kind="test")

    sending.send_due()
    time_passes()
    sending.send_due()

    record = OutgoingMail.objects.get()
    assert (record.status, record.attempts) == (Status.FAILED, 1)
    assert record.last_error == "SMTPRecipientsRefused 550"
    assert not MailServerState.objects.exists()  # the server is fine: nobody pauses


def test_a_recipient_busy_for_now_is_tried_again_later(settings):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RecipientBusyBackend"
    queue_message(to="x@example.org", subject="Sujet", body="Texte", kind="test")

    sending.send_due()

    record = OutgoingMail.objects.get()
    assert record.status == Status.QUEUED
    assert record.next_attempt_at > timezone.now() + dt.timedelta(minutes=1)
    assert not MailServerState.objects.exists()


def test_mail_is_given_up_after_mail_give_up_hours_of_server_failures(settings):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RefusingBackend"
    settings.MAIL_GIVE_UP_HOURS = 48
    old = queue_message(to="old@example.org", subject="Sujet", body="Texte", kind="test")
    recent = queue_message(to="new@example.org", subject="Sujet", body="Texte", kind="test")
    OutgoingMail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=49)
    )

    sending.send_due()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.FAILED and "given up" in old.last_error
    assert recent.status == Status.QUEUED


def test_the_cron_command_sends_what_is_due_once_even_when_run_twice(mailoutbox):
    queue_message(to="ada@example.org", subject="Une fois", body="Texte", kind="test")

    call_command("send_queued_mail")
    call_command("send_queued_mail")

    assert len(mailoutbox) == 1


def test_a_message_leased_to_another_worker_waits_for_its_lease_to_end(mailoutbox):
    record = queue_message(to="ada@example.org", subject="Sujet", body="Texte", kind="test")
    assert sending.claim(record.pk, by="other-worker") is not None

    deliver_mail()
    assert mailoutbox == []  # the other worker is sending it

    # That worker died: its lease runs out, and the message is claimed again.
    OutgoingMail.objects.update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    deliver_mail()

    record.refresh_from_db()
    assert (record.status, record.attempts) == (Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_a_claim_is_taken_by_one_worker_only():
    record = queue_message(to="ada@example.org", subject="Sujet", body="Texte", kind="test")

    first = sending.claim(record.pk, by="one")
    second = sending.claim(record.pk, by="two")

    assert first is not None and second is None
    assert first.lease_until > timezone.now() + dt.timedelta(seconds=30)


def test_newlines_in_a_subject_never_reach_the_header(mailoutbox):
    queue_message(
        to="ada@example.org", subject="Bonjour\nBcc: eve@example.org", body="Texte", kind="test"
    )
    deliver_mail()

    assert mailoutbox[0].subject == "Bonjour Bcc: eve@example.org"
    assert mailoutbox[0].recipients() == ["ada@example.org"]


def test_the_log_names_no_recipient(settings, caplog):
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RecipientRefusedBackend"
    queue_message(to="secret.person@example.org", subject="Sujet", body="Texte", kind="test")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue_message(to="other.person@example.org", subject="Sujet", body="Texte", kind="test")
    settings.EMAIL_BACKEND = "tests.iness.test_mail.RecipientRefusedBackend"

    sending.send_due()

    assert "not sent" in caplog.text
    assert "secret.person" not in caplog.text and "other.person" not in caplog.text


# Send hooks: what items 3 and 6 of issue 12 build on (a link minted when the mail goes,
# an offer's deadline counted from when the server accepted its mail).

seen = {}


def _prepare(record):
    seen["prepared"] = record.hook_args
    return {"link": f"https://example.org/secret-{record.hook_args['n']}/"}


def _accepted(record):
    seen["accepted_at"] = record.sent_at


mail.register_hook("test.link", mail.SendHook(prepare=_prepare, accepted=_accepted))


def test_a_send_hook_fills_the_text_when_sent_and_hears_when_the_server_accepted(mailoutbox):
    seen.clear()
    record = queue_message(
        to="ada@example.org",
        subject="Votre lien",
        body=f"Ouvrez {mail.placeholder('link')} avant demain.",
        kind="test",
        hook="test.link",
        hook_args={"n": 7},
    )

    deliver_mail()

    record.refresh_from_db()
    assert mailoutbox[0].body == "Ouvrez https://example.org/secret-7/ avant demain."
    assert "secret" not in record.body  # the outbox keeps the placeholder, never the link
    assert seen == {"prepared": {"n": 7}, "accepted_at": record.sent_at}


def test_an_unknown_send_hook_is_refused_when_the_mail_is_recorded():
    with pytest.raises(ValueError):
        queue_message(to="a@example.org", subject="S", body="T", kind="test", hook="nope")
