import re

import pytest

from registrations.models import Registration
from tests.conftest import deliver_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^\s/]+(/mon-inscription/[A-Za-z0-9_-]+/)")


def test_visitor_signs_up_opens_the_emailed_link_and_cancels(page, live_server, event, mailoutbox):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up to attend").click()

    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_role("textbox", name=re.compile(r"^Organisation")).fill("Coopérative numérique")
    page.get_by_label("Research or higher education").check()
    page.get_by_label("Both researcher and practitioner").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Sign up").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    deliver_mail()  # what the mail worker does beside the site
    [to_confirm] = [m for m in mailoutbox if m.to == ["ada@example.org"]]
    link = LINK.search(to_confirm.body).group(1)

    page.goto(live_server.url + link + "confirmer/")  # the page with one button
    page.get_by_role("button", name="Confirm my sign-up").click()
    assert "Your seat is confirmed" in page.locator("main").inner_text()
    page.get_by_role("link", name="Cancel my sign-up").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cancel your sign-up?"
    page.get_by_role("button", name="Yes, cancel").click()

    assert "Your sign-up is cancelled" in page.locator("main").inner_text()
    assert Registration.objects.get().status == Registration.Status.CANCELLED


def test_private_page_can_switch_language(page, live_server, event, mailoutbox):
    from registrations import services
    from tests.registrations.conftest import person

    services.register(verified=True, event=event, data=person(email="ada@example.org"))
    deliver_mail()
    link = LINK.search(mailoutbox[0].body).group(1)
    page.goto(live_server.url + link)

    page.get_by_role("button", name="Français").click()

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith(link)
    assert "Journée test" in page.locator("main").inner_text()
