import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_event_and_switches_to_french(page, live_server, event):
    page.goto(live_server.url + "/")

    assert page.title().startswith("Test day")
    assert page.get_by_role("heading", level=1).inner_text() == "Test day"
    assert "20 seats left out of 20" in page.locator("main").inner_text()

    page.get_by_role("button", name="Français").click()

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Journée test"


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page, live_server, event):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#content"
