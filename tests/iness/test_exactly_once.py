"""Several senders at once, a slow server, a worker stopped: each message goes exactly once.

Real threads and processes with their own database connections, on SQLite and PostgreSQL.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from iness import sending
from iness.mail import queue_message
from iness.models import OutgoingMail
from iness.worker import Worker
from tests.smtp import SmtpServer, free_port, use_smtp

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutgoingMail.Status
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(settings):
    port = free_port()
    use_smtp(settings, port)
    server = SmtpServer(port)
    server.start()
    yield server
    server.stop()


def wait_for(condition, *, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_workers_and_the_cron_command_send_each_message_exactly_once(server, monkeypatch):
    # A short lease, and a few sends much longer than it: only the renewal of the lease
    # while sending keeps the other senders from taking those messages again.
    monkeypatch.setattr(sending, "LEASE", dt.timedelta(seconds=1))
    server.delay = 0.002
    server.slow = {f"person{n}@example.org": 2.5 for n in (0, 1, 150)}
    people = 300
    for n in range(people):
        queue_message(to=f"person{n}@example.org", subject=f"N° {n}", body="Texte", kind="test")
    workers = [Worker(interval=0.05, name=f"worker-{n}") for n in range(2)]

    threads = [in_thread(w.run) for w in workers]
    threads.append(in_thread(lambda: sending.send_due(by="cron", limit=people)))
    all_sent = wait_for(
        lambda: not OutgoingMail.objects.exclude(status=Status.SENT).exists(), seconds=240
    )
    for worker in workers:
        worker.stop()
    for thread in threads:
        thread.join(timeout=60)

    assert all_sent
    delivered = Counter(address for envelope in server.received for address in envelope.rcpt_tos)
    assert delivered == {f"person{n}@example.org": 1 for n in range(people)}
    assert set(OutgoingMail.objects.values_list("attempts", flat=True)) == {1}


def _worker_process(settings, port: int) -> subprocess.Popen:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "mail_worker", "--interval", "0.2"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_worker_finishes_the_message_it_is_sending_then_exits(settings, server, stop):
    server.delay = 3
    first = queue_message(to="first@example.org", subject="Un", body="Texte", kind="test")
    second = queue_message(to="second@example.org", subject="Deux", body="Texte", kind="test")
    worker = _worker_process(settings, server.port)
    try:
        sending_first = wait_for(
            lambda: OutgoingMail.objects.filter(pk=first.pk, status=Status.SENDING).exists(),
            seconds=30,
        )
        worker.send_signal(stop)
        code = worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    log = worker.stderr.read()

    first.refresh_from_db()
    second.refresh_from_db()
    assert sending_first
    assert code == 0, log
    assert (first.status, second.status) == (Status.SENT, Status.QUEUED)
    assert [e.rcpt_tos for e in server.received] == [["first@example.org"]]
    assert "stopping after the current message" in log
    assert "first@example.org" not in log  # the log names nobody


def test_the_worker_picks_up_new_mail_within_two_seconds(settings, server):
    worker = Worker(interval=1.0)
    thread = in_thread(worker.run)
    try:
        time.sleep(0.5)  # the worker is idle, between two looks at the outbox
        queue_message(to="ada@example.org", subject="Vite", body="Texte", kind="test")
        started = time.monotonic()
        delivered = wait_for(lambda: server.received, seconds=10)
        took = time.monotonic() - started
    finally:
        worker.stop()
        thread.join(timeout=30)

    assert delivered and took < 2
