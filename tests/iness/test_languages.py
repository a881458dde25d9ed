import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_in_french_by_default(client, event):
    response = client.get("/")

    assert response.headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()
    assert "Journée test" in response.content.decode()


def test_language_switch_sends_the_visitor_back_to_the_same_page(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/confidentialite/?section=rights"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/confidentialite/?section=rights"
    assert response.cookies["django_language"].value == "en"
    page = client.get("/confidentialite/").content.decode()
    assert '<html lang="en">' in page and "Privacy notice" in page


def test_language_switch_offers_the_other_language_and_the_current_page(client):
    page = client.get("/lien-perdu/?x=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'name="next" value="/lien-perdu/?x=1"' in page
    assert 'value="fr" lang="fr">Français</button>' in page
    assert 'value="en"' not in page


def test_english_readers_get_the_english_event_texts(client, event):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Test day" in page and "A day of exchanges." in page
    assert "Journée test" not in page and "Une journée d&#x27;échanges." not in page


def test_missing_english_event_texts_fall_back_to_french(client, make_event):
    make_event(title_en="", description_en="", access_en="")

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<h1 class="h2">Journée test</h1>' in page
    assert "Une journée d&#x27;échanges." in page
    assert "Métro Balard (ligne 8)" in page
    assert "seats left out of 20" in page


def test_french_readers_get_the_french_event_texts_even_when_english_exists(client, make_event):
    make_event(access_en="Balard metro station (line 8)")

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Journée test" in page and "Métro Balard (ligne 8)" in page
    assert "Test day" not in page and "Balard metro station" not in page


def test_home_writes_the_date_and_times_the_french_way(client, make_event):
    make_event(date=dt.date(2099, 3, 11))

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "mercredi 11 mars 2099" in page
    assert "de 9\u00a0h\u00a030 à 17\u00a0h\u00a030 (heure de Paris)" in page
    assert "20 places restantes sur 20" in page


def test_home_writes_the_date_and_times_the_english_way(client, make_event):
    make_event(date=dt.date(2099, 3, 11))

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Wednesday 11 March 2099" in page
    assert "from 9:30\xa0am to 5:30\xa0pm (Paris time)" in page
