"""The admin's preview of the pages of a day works in a real browser under the strict CSP
(any console error, a CSP refusal included, fails the test), then the saved text is public."""

import pytest

from iness.models import Event
from tests.backoffice.conftest import organisers_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_organiser_previews_the_presentation_then_saves_it(
    make_page, live_server, event, django_user_model, javascript
):
    organiser = django_user_model.objects.create_user(
        username="claire", password="organiser-pass-123", is_staff=True
    )
    organiser.groups.add(organisers_group())
    page = make_page(language="en", javascript=javascript)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill("organiser-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + f"/admin/iness/event/{event.pk}/change/")

    page.locator("#id_presentation_en").fill("## Themes\n\nA **day** of exchanges.")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the texts").click()

    preview = page.locator(".markdown-preview")
    assert preview.get_by_role("heading", name="Themes", level=4).is_visible()
    assert preview.locator("strong").inner_text() == "day"
    assert Event.objects.get().presentation_en == ""

    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert Event.objects.get().presentation_en.startswith("## Themes")

    page.goto(live_server.url + "/")
    assert (
        page.locator(".markdown-text").get_by_role("heading", name="Themes", level=2).is_visible()
    )
