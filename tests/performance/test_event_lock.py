"""A sign-up holds the event lock only for its few queries, and sends no mail at all.

Every sign-up for an event waits for that lock, so whatever runs under it limits how many
sign-ups per second the event can take, however many app servers there are. Sending mail
(a mail server can take seconds to answer) must not be among it: the sign-up only records
its mail, and the mail worker sends it outside any transaction. These tests send a
confirmation through a mail backend that, while the worker is sending, lets another person
sign up in another thread with its own database connection: that sign-up can only complete
if nothing holds the lock while mail is sent.
"""

import threading

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections

from iness import sending
from registrations import services
from registrations.models import Registration
from registrations.services import seats
from tests.registrations.conftest import person

pytestmark = pytest.mark.django_db(transaction=True)

BACKEND = f"{__name__}.MeanwhileBackend"


class MeanwhileBackend(EmailBackend):
    """The test mail backend, which runs `meanwhile` (once) in the middle of sending."""

    meanwhile = None

    def send_messages(self, messages):
        job, MeanwhileBackend.meanwhile = MeanwhileBackend.meanwhile, None
        if job:
            job()
        return super().send_messages(messages)


def sign_up_while_sending(event, *, wait: float, send=sending.send_due) -> dict:
    """Sign one person up and run `send` (the worker's pass); while the first mail is being
    sent, sign another person up in a thread and wait up to `wait` seconds for that to
    finish. Returns what was seen."""
    seen = {}

    def other_sign_up():
        try:
            seen["other"] = services.register(verified=True, event=event, data=person())
        finally:
            connections.close_all()

    def meanwhile():
        seen["sending_inside_a_transaction"] = connection.in_atomic_block
        thread = threading.Thread(target=other_sign_up)
        thread.start()
        thread.join(timeout=wait)
        seen["other_finished_during_send"] = not thread.is_alive()
        seen["thread"] = thread

    MeanwhileBackend.meanwhile = meanwhile
    seen["first"] = services.register(verified=True, event=event, data=person())
    seen["sent_by_the_sign_up"] = "thread" in seen
    send()
    seen["thread"].join(timeout=60)  # in the control test it ends once the first commits
    return seen


def test_another_sign_up_completes_while_the_worker_sends_a_confirmation(event, settings):
    settings.EMAIL_BACKEND = BACKEND

    seen = sign_up_while_sending(event, wait=15)

    assert seen["sent_by_the_sign_up"] is False
    assert seen["sending_inside_a_transaction"] is False
    assert seen["other_finished_during_send"] is True
    assert seen["first"].registration.status == Registration.Status.CONFIRMED
    assert seen["other"].registration.status == Registration.Status.CONFIRMED
    assert Registration.objects.filter(event=event).count() == 2


def test_control_mail_sent_under_the_event_lock_would_stop_other_sign_ups(event, settings):
    """Without this, the test above could pass for a reason other than the lock being free."""
    settings.EMAIL_BACKEND = BACKEND

    def send_holding_the_event_lock():
        with seats._event_lock(event):
            sending.send_due()

    seen = sign_up_while_sending(event, wait=1.5, send=send_holding_the_event_lock)

    assert seen["sending_inside_a_transaction"] is True
    assert seen["other_finished_during_send"] is False
    # Once the lock was released, the second went through: waiting, not failing.
    assert Registration.objects.filter(event=event).count() == 2
