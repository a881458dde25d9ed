"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server.

Where Chromium is missing the browser tests skip with a reason; CI sets REQUIRE_BROWSER=1,
which turns that skip into a failure.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.tools import require

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
# WCAG 1.4.10 (reflow): content must be usable at 320 CSS pixels wide.
PHONE = {"width": 320, "height": 640}
# Playwright's sync API runs an event loop in the test thread; the tests' own database calls
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def make_page(browser, live_server):
    """Open pages as a given visitor: `make_page(language="fr", width=320, javascript=False)`.

    Each page has its own browser context (own cookies). The test fails if any page logs a
    console error, fails to load one of its resources, or asks anything of another site than
    the live server.
    """
    contexts = []
    errors: list[str] = []
    origin = urlsplit(live_server.url).netloc

    def on_request(request):
        url = urlsplit(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != origin:
            errors.append(f"request to another site: {request.url}")

    def on_console(message):
        # A failed load is reported by on_response, which knows what failed: a page's own
        # 404 (a link that does not work) is a page like any other.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response):
        if (
            response.status >= 400
            and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
        ):
            errors.append(f"{response.status} for {response.url}")

    def open_page(*, language: str = "en", width: int = DESKTOP["width"], javascript=True):
        viewport = PHONE if width == PHONE["width"] else {**DESKTOP, "width": width}
        context = browser.new_context(
            locale=language,
            extra_http_headers={"Accept-Language": language},
            viewport=viewport,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", on_console)
        page.on("request", on_request)
        page.on("response", on_response)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], errors


@pytest.fixture
def page(make_page):
    """A fresh page, in English at desktop width, that fails on any console error."""
    return make_page()
