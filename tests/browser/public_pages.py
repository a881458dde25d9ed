"""Every public page, in every state a visitor can see, for the accessibility and HTML checks.

Each entry's `visit(page, base_url)` creates what the page needs (through the same helpers as
the other tests) and leaves the browser on the page in that state. The checks in
test_accessibility.py run on each entry in French and English, at desktop and 320 px width.
Add an entry for every new public page and every form's error state.
"""

from collections.abc import Callable
from dataclasses import dataclass

from iness.models import Event
from tests.conftest import build_event


@dataclass(frozen=True)
class PageState:
    name: str
    visit: Callable[..., None]

    def __str__(self):
        return self.name


def submit_main_form(page) -> None:
    """Submit the page's own form (not the language switch) and wait for the answer."""
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()


def home(page, base_url):
    build_event()
    page.goto(base_url + "/")


def home_without_event(page, base_url):
    Event.objects.update(is_published=False)
    page.goto(base_url + "/")


def privacy(page, base_url):
    page.goto(base_url + "/confidentialite/")


def lost_link(page, base_url):
    page.goto(base_url + "/lien-perdu/")


def lost_link_with_error(page, base_url):
    page.goto(base_url + "/lien-perdu/")
    page.locator("main input[name=email]").fill("not an address")
    submit_main_form(page)
    assert page.locator(".invalid-feedback").count() == 1, "the error state was not reached"


def lost_link_sent(page, base_url):
    page.goto(base_url + "/lien-perdu/")
    page.locator("main input[name=email]").fill("someone@example.org")
    submit_main_form(page)
    assert page.url.endswith("/lien-perdu/envoye/")


PUBLIC_PAGES = [
    PageState("home", home),
    PageState("home without event", home_without_event),
    PageState("privacy notice", privacy),
    PageState("lost link form", lost_link),
    PageState("lost link form with error", lost_link_with_error),
    PageState("lost link sent", lost_link_sent),
]
