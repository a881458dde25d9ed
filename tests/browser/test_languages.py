import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_language_switch_keeps_the_visitor_on_the_same_page(make_page, live_server, javascript):
    page = make_page(language="fr", javascript=javascript)
    page.goto(live_server.url + "/confidentialite/?from=footer")
    assert page.get_by_role("heading", level=1).inner_text() == "Politique de confidentialité"

    page.get_by_role("button", name="English").click()

    assert page.url == live_server.url + "/confidentialite/?from=footer"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy notice"

    page.get_by_role("button", name="Français").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Politique de confidentialité"


def test_chosen_language_wins_over_the_browser_language(make_page, live_server):
    page = make_page(language="en")
    page.goto(live_server.url + "/lien-perdu/")
    page.get_by_role("button", name="Français").click()

    page.goto(live_server.url + "/")

    assert page.locator("html").get_attribute("lang") == "fr"


def test_home_shows_the_date_and_times_as_each_language_writes_them(
    make_page, live_server, make_event
):
    make_event(date=dt.date(2099, 3, 11))
    page = make_page(language="fr")
    page.goto(live_server.url + "/")

    french = page.locator("main").inner_text()
    page.get_by_role("button", name="English").click()
    english = page.locator("main").inner_text()

    assert "mercredi 11 mars 2099" in french and "de 9\u00a0h\u00a030 à 17\u00a0h\u00a030" in french
    assert "Wednesday 11 March 2099" in english and "from 9:30\xa0am to 5:30\xa0pm" in english
