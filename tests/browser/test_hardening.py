import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def strict_page(browser, live_server):
    """A page that fails the test on any Content-Security-Policy violation or script error.

    Unlike `page`, it accepts failed loads: a 404 page's own status, and /favicon.ico,
    which Chromium asks for on the admin's pages (they link no icon).
    """
    context = browser.new_context(locale="en", extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.on("pageerror", lambda exc: violations.append(str(exc)))
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text),
    )
    yield page
    context.close()
    assert violations == [], violations


def test_lost_link_form_under_the_content_security_policy_hides_the_honeypot(page, live_server):
    # The `page` fixture fails the test on any console error, CSP violations included;
    # Bootstrap draws the invalid-field icon with a data: image, which the policy allows.
    page.goto(live_server.url + "/lien-perdu/")
    page.get_by_label("Your email address").fill("ada@localhost-typo")
    page.get_by_role("button", name="Send me my links").click()
    page.wait_for_selector("#id_email.is-invalid")

    email = page.get_by_label("Your email address")
    trap = page.locator("#id_website")
    email.fill("ada@example.org")
    page.keyboard.press("Tab")

    assert trap.bounding_box()["x"] < 0  # off screen, not merely hidden
    assert page.evaluate("document.activeElement.id") != "id_website"
    page.get_by_role("button", name="Send me my links").click()
    page.wait_for_url("**/lien-perdu/envoye/")
    assert "Check your inbox" in page.locator("h1").inner_text()


def test_admin_login_works_under_the_content_security_policy(strict_page, live_server):
    strict_page.goto(live_server.url + "/admin/login/")

    assert strict_page.get_by_label("Username").is_visible()
    # The admin's stylesheet applied (a blocked one would leave the browser's default).
    header = strict_page.locator("#header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_not_found_page_is_styled_under_the_content_security_policy(strict_page, live_server):
    response = strict_page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    assert strict_page.locator("h1").inner_text() == "Page not found"
    # Bootstrap's stylesheet applied: the container has a max width, not the browser default.
    main = strict_page.locator("main")
    assert main.evaluate("el => getComputedStyle(el).maxWidth") != "none"
