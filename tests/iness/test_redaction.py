import io
import logging
import secrets
import sys

import pytest
from django.core.signals import got_request_exception
from django.views.debug import ExceptionReporter

from iness import links
from iness.redaction import redact

pytestmark = pytest.mark.django_db

TOKEN = secrets.token_urlsafe(32)


@pytest.fixture
def console():
    """What the site's configured console handler writes, as text."""
    handler = next(h for h in logging.getLogger("django").handlers if h.name == "console")
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


@pytest.mark.parametrize(
    "line",
    [
        f"Not Found: /mon-inscription/{TOKEN}/",
        f'"GET /ma-proposition/{TOKEN}/annuler/ HTTP/1.1" 200 512',
        f"Not Found: /mon-inscription/{TOKEN[:12]}/",
        f"Internal Server Error: /ailleurs/{TOKEN}",
        f"GET /inscription/confirmer?token={TOKEN}&lang=fr",
    ],
)
def test_redact_masks_private_link_tokens(line):
    cleaned = redact(line)

    assert TOKEN not in cleaned
    assert "[redacted]" in cleaned


def test_redact_leaves_ordinary_paths_alone():
    line = '"GET /static/css/site.3f5a1c2b9d.css HTTP/1.1" 200 /lien-perdu/envoye/'

    assert redact(line) == line


def test_not_found_log_line_for_a_private_link_hides_the_token(client, console):
    client.get(f"/mon-inscription/{TOKEN}/")

    output = console.getvalue()
    assert "Not Found: /mon-inscription/[redacted]/" in output
    assert TOKEN not in output


def test_development_server_access_line_hides_the_token(console):
    # What runserver's request handler logs for each request.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /ma-proposition/{TOKEN}/ HTTP/1.1", "200", "1234"
    )

    output = console.getvalue()
    assert '"GET /ma-proposition/[redacted]/ HTTP/1.1" 200 1234' in output
    assert TOKEN not in output


def test_traceback_in_the_log_hides_the_token(console):
    try:
        raise LookupError(f"no registration for /mon-inscription/{TOKEN}/")
    except LookupError:
        logging.getLogger("django.request").exception("Internal Server Error: /x/")

    output = console.getvalue()
    assert "LookupError" in output
    assert TOKEN not in output


def test_error_report_of_the_lost_link_form_hides_the_address(client, monkeypatch):
    def failing_sender(*, email, language):
        raise RuntimeError("mail queue unavailable")

    class FailingRequests:
        # The page records the request for the mail worker; recording it fails here.
        objects = type("Manager", (), {"create": staticmethod(failing_sender)})

    monkeypatch.setattr(links, "LinkRequest", FailingRequests)
    reports = []

    def report(sender, request, **kwargs):
        reports.append(ExceptionReporter(request, *sys.exc_info()).get_traceback_html())

    got_request_exception.connect(report)
    client.raise_request_exception = False
    try:
        response = client.post("/lien-perdu/", {"email": "secret.person@example.org"})
    finally:
        got_request_exception.disconnect(report)

    assert response.status_code == 500
    assert len(reports) == 1
    assert "mail queue unavailable" in reports[0]  # the report itself is there, with frames
    assert "failing_sender" in reports[0]
    assert "secret.person@example.org" not in reports[0]
