"""Simultaneous sendings of the same proposal (a double click that reaches two app servers)."""

import threading

import pytest
from django.db import connection

from proposals import services
from proposals.models import Proposal
from registrations.models import Registration

from .conftest import proposal_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_identical_submissions_record_one_proposal_and_one_seat(event):
    barrier = threading.Barrier(6)
    errors = []

    def send():
        try:
            barrier.wait()
            services.submit(event=event, data=proposal_data(), also_register=True)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Proposal.objects.count() == 1
    assert Registration.objects.count() == 1
    assert Proposal.objects.get().registration == Registration.objects.get()
