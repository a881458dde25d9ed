import base64
import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.utils import timezone

pytestmark = pytest.mark.django_db

BOOTSTRAP_CSS_SRI = "sha384-sRIl4kxILFvY47J16cr9ZwB07vP4J8+LH7qKQnuqkuIAvNWLzeN8tE5YBujZqJLB"


def test_home_shows_the_event_facts(client, event):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Test day" in page
    assert event.date.strftime("%Y") in page
    assert "9:30\xa0am" in page and "5:30\xa0pm" in page
    assert "2, Villa Thoréton, 75015 Paris" in page
    assert "Métro Balard (ligne 8)" in page
    assert "iness@listes.imt.fr" in page
    assert "Alice Martin" in page and "Bruno Petit" in page
    assert "a round table" in page and "a talk" in page


def test_home_shows_seats_left_out_of_capacity(client, make_event):
    make_event(capacity=12)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "12 seats left out of 12" in page


def test_home_shows_the_next_published_event_only(client, make_event):
    today = timezone.localdate()
    make_event(slug="past", title_en="Past day", date=today - dt.timedelta(days=3))
    make_event(
        slug="hidden", title_en="Hidden day", is_published=False, date=today + dt.timedelta(days=5)
    )
    make_event(slug="later", title_en="Later day", date=today + dt.timedelta(days=90))
    make_event(slug="next", title_en="Next day", date=today + dt.timedelta(days=40))

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Next day" in page
    assert "Past day" not in page and "Hidden day" not in page and "Later day" not in page


def test_home_without_event_says_none_is_planned(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "No INESS day is planned yet." in response.content.decode()


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_down(client):
    saved = dict(connection.settings_dict)
    connection.close()
    # Point the connection at a database that cannot be reached.
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-folder/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.update(saved)

    assert response.status_code == 503


def test_bootstrap_css_is_served_from_our_own_static_files_unchanged(client):
    response = client.get("/static/bootstrap/css/bootstrap.min.css")
    content = b"".join(response.streaming_content) if response.streaming else response.content

    digest = base64.b64encode(hashlib.sha384(content).digest()).decode()
    assert response.status_code == 200
    assert f"sha384-{digest}" == BOOTSTRAP_CSS_SRI


def test_pages_load_no_stylesheet_or_script_from_another_site(client, event):
    page = client.get("/").content.decode()

    assert "//cdn" not in page
    assert 'href="http' not in page.replace('href="http://testserver', "")
    assert '<script src="http' not in page
