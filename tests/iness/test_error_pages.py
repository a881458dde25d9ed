import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db

TECHNICAL = ["Traceback", "OperationalError", "RuntimeError", "SECRET-DETAIL", "internal reason"]


def assert_friendly(response, status: int, text: str):
    page = response.content.decode()
    assert response.status_code == status
    assert text in page
    assert '<a class="site-name' in page  # the site's own layout, not a bare error
    for detail in TECHNICAL:
        assert detail not in page


def test_unknown_address_shows_the_not_found_page(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")

    assert_friendly(response, 404, "Page not found")
    assert "Get my private links again" in response.content.decode()


def test_not_found_page_speaks_the_visitors_language(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404
    assert '<html lang="fr">' in response.content.decode()


def test_unknown_host_gets_the_bad_request_page(client):
    response = client.get("/", HTTP_HOST="attacker.example", HTTP_ACCEPT_LANGUAGE="en")

    assert_friendly(response, 400, "Request not understood")


def test_too_many_fields_get_the_bad_request_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    flood = {f"field{i}": "x" for i in range(60)}

    response = client.post("/lien-perdu/", flood, HTTP_ACCEPT_LANGUAGE="en")

    assert_friendly(response, 400, "Request not understood")


@pytest.mark.urls("tests.iness.urls_errors")
def test_forbidden_page_gives_no_reason(client):
    response = client.get("/test-forbidden/", HTTP_ACCEPT_LANGUAGE="en")

    assert_friendly(response, 403, "Access refused")


def test_form_without_csrf_token_gets_the_expired_form_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/lien-perdu/", {"email": "ada@example.org"}, HTTP_ACCEPT_LANGUAGE="en")

    assert_friendly(response, 403, "Your form has expired")
    assert "Nothing was saved" in response.content.decode()


@pytest.mark.urls("tests.iness.urls_errors")
def test_crash_shows_the_friendly_server_error_page(client):
    client.raise_request_exception = False

    response = client.get("/test-broken/", HTTP_ACCEPT_LANGUAGE="en")

    assert_friendly(response, 500, "Something went wrong")


def _database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def test_database_failure_shows_the_friendly_page_and_the_next_request_works(client, event):
    client.raise_request_exception = False

    # Every query fails while the page is built, and while the error page is built too.
    with connection.execute_wrapper(_database_down):
        failed = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    after = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert_friendly(failed, 500, "Something went wrong")
    assert after.status_code == 200
    assert "Test day" in after.content.decode()


def test_database_failure_page_is_in_french_for_a_french_visitor(client, event):
    client.raise_request_exception = False

    with connection.execute_wrapper(_database_down):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 500
    assert '<html lang="fr">' in response.content.decode()
