"""axe-core and the Nu HTML Checker on every public page (public_pages.py), in both languages."""

import pytest

from tests.browser.a11y import (
    DocumentRecorder,
    assert_fits_width,
    assert_no_axe_violations,
    assert_valid_html,
)
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.public_pages import PUBLIC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["fr", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", PUBLIC_PAGES, ids=str)
def test_public_page_has_no_accessibility_violation(make_page, live_server, state, language):
    page = make_page(language=language, width=DESKTOP["width"])

    state.visit(page, live_server.url)

    assert page.locator("html").get_attribute("lang") == language
    assert_no_axe_violations(page)
    assert_fits_width(page)
    # The same page on a phone: the layout follows the new width as after a fresh load.
    page.set_viewport_size(PHONE)
    assert_no_axe_violations(page)
    assert_fits_width(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_are_valid_html(make_page, live_server, language):
    documents = {}
    # One page for all the states: each state sets up its own data and ends on its page.
    page = make_page(language=language)
    recorder = DocumentRecorder(page)
    for state in PUBLIC_PAGES:
        state.visit(page, live_server.url)
        documents[f"{state.name} ({language})"] = recorder.last_html()

    assert_valid_html(documents)


def test_axe_check_fails_on_a_page_with_a_violation(page):
    page.set_content('<!DOCTYPE html><html lang="en"><title>t</title><main><img src=""></main>')

    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_axe_violations(page)


def test_width_check_fails_on_a_page_wider_than_the_screen(make_page):
    page = make_page(width=PHONE["width"])
    page.set_content('<!DOCTYPE html><html lang="en"><title>t</title><p style="width:600px">x')

    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_fits_width(page)


def test_html_check_fails_on_invalid_html():
    with pytest.raises(AssertionError, match="broken page line 1"):
        assert_valid_html({"broken page": '<!DOCTYPE html><html lang="en"><p>no title</html>'})
