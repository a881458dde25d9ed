import re

import pytest

from iness import links
from iness.models import LinkRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded_senders(monkeypatch):
    calls = []
    monkeypatch.setattr(links, "_senders", [lambda **kw: calls.append(kw)])
    return calls


def test_lost_link_form_records_the_request_and_the_worker_asks_every_sender(
    client, recorded_senders
):
    response = client.post("/lien-perdu/", {"email": "ada@example.org"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert recorded_senders == []  # the page asks no sender: the worker does
    assert links.answer_requests() == 1

    assert recorded_senders == [{"email": "ada@example.org", "language": "en"}]
    assert not LinkRequest.objects.exists()  # the address is not kept once answered


def test_lost_link_answer_is_the_same_for_known_and_unknown_addresses(client, recorded_senders):
    first = client.post("/lien-perdu/", {"email": "known@example.org"}, follow=True)
    second = client.post("/lien-perdu/", {"email": "nobody@example.org"}, follow=True)

    def without_csrf_token(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert without_csrf_token(first) == without_csrf_token(second)


def test_lost_link_form_rejects_an_invalid_address_beside_the_field(client, recorded_senders):
    response = client.post("/lien-perdu/", {"email": "not an address"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert recorded_senders == []


def test_a_sender_that_breaks_drops_its_request_and_does_not_stop_the_worker(
    client, monkeypatch, caplog
):
    def broken(*, email, language):
        raise RuntimeError("bug")

    monkeypatch.setattr(links, "_senders", [broken])
    client.post("/lien-perdu/", {"email": "ada@example.org"})

    assert links.answer_requests() == 0

    assert not LinkRequest.objects.exists()
    assert "could not be answered" in caplog.text and "ada@example.org" not in caplog.text
