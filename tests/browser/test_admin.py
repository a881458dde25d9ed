import os
import re

import pytest

from iness.models import OutgoingMail
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.backoffice.conftest import organisers_group, propose, sign_up

from .a11y import assert_fits_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots of the admin pages, to read; set SCREENSHOTS=/some/dir to keep them.
SHOTS = os.environ.get("SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"admin-{name}.png"), full_page=True)


def test_organiser_accepts_a_proposal_notifies_and_opens_the_sign_in_sheet(
    page, live_server, event, django_user_model, settings
):
    settings.SITE_URL = live_server.url
    organiser = django_user_model.objects.create_user(
        username="claire", password="organiser-pass-123", is_staff=True
    )
    organiser.groups.add(organisers_group())
    proposal = propose(
        event,
        title="Étudier un tiers-lieu",
        email="grace@example.org",
        first_name="Grace",
        last_name="Hopper",
    )
    sign_up(event, first_name="Grace", last_name="Hopper", email="grace@example.org")
    sign_up(event, first_name="Émile", last_name="Zola", organisation="Les Rougon")

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill("organiser-pass-123")
    page.get_by_role("button", name="Log in").click()
    assert "2 of 20 seats confirmed" in re.sub(r"\s+", " ", page.locator("#content").inner_text())
    shot(page, "index")

    page.locator("#content-main tr.model-proposal").get_by_role("link", name="Proposals").click()
    page.get_by_role("row", name=re.compile("Étudier un tiers-lieu")).get_by_role(
        "checkbox"
    ).check()
    page.locator("select[name=action]").select_option("accept")
    page.get_by_role("button", name="Go").click()
    assert "1 proposal accepted." in page.locator(".messagelist").inner_text()
    shot(page, "proposals-accepted")

    page.get_by_role("row", name=re.compile("Étudier un tiers-lieu")).get_by_role(
        "checkbox"
    ).check()
    page.locator("select[name=action]").select_option("announce")
    page.get_by_role("button", name="Go").click()
    # The announcement page: the email as Grace will read it; nothing sent until confirmed.
    assert "Good news" in page.locator(".message-preview").inner_text()
    assert not OutgoingMail.objects.filter(kind="proposals/accepted").exists()
    page.get_by_role("button", name="Send 1 email").click()
    assert (
        "1 decision email is being sent: follow it on this page."
        in page.locator(".messagelist").inner_text()
    )
    # The mailing's page: the email waits for the mail worker.
    assert "1 waiting, 0 sent, 0 failed, of 1" in page.locator("#content").inner_text()
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.decision_notified_at is not None
    assert OutgoingMail.objects.filter(kind="proposals/accepted", to="grace@example.org").exists()
    assert Proposal.objects.get().status == "accepted"

    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Open the event").click()
    shot(page, "event")
    page.get_by_role("link", name="Sign-in sheet").first.click()

    assert page.get_by_role("heading", level=1).inner_text() == event.title
    rows = page.locator("tr.attendee").all_inner_texts()
    assert [re.sub(r"\s+", " ", row).strip() for row in rows] == [
        "1 HOPPER Grace Coopérative numérique",
        "2 ZOLA Émile Les Rougon",
    ]
    shot(page, "sign-in-sheet")
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name=re.compile("Back to the event")).is_visible()
    shot(page, "sign-in-sheet-print")


ORGANISER_PAGES = [
    "/admin/",
    "/admin/registrations/registration/",
    "/admin/proposals/proposal/",
    "/admin/proposals/proposal/announce/",
    "/admin/iness/event/",
    "/admin/iness/outgoingmail/",
    "/admin/iness/mailbatch/",
    "/admin/backoffice/announcement/",
]


@pytest.mark.parametrize("width", [1280, 320])
def test_organiser_pages_fit_the_screen_and_tables_scroll_inside(
    make_page, live_server, event, django_user_model, width
):
    organiser = django_user_model.objects.create_user(
        username="claire", password="organiser-pass-123", is_staff=True
    )
    organiser.groups.add(organisers_group())
    proposal = propose(event, title="Une table ronde au titre assez long pour déborder")
    registration = sign_up(event, organisation="Coopérative d’activité et d’emploi du Grand Est")
    proposal_services.decide(proposal=proposal, decision="accepted", by=organiser)
    page = make_page(language="fr", width=width)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "claire")
    page.fill("#id_password", "organiser-pass-123")
    page.locator("input[type=submit]").click()

    pages = [
        *ORGANISER_PAGES,
        f"/admin/iness/event/{event.pk}/change/",
        f"/admin/proposals/proposal/{proposal.pk}/change/",
        f"/admin/registrations/registration/{registration.pk}/change/",
    ]
    for path in pages:
        page.goto(live_server.url + path)
        assert_fits_width(page)
        shot(page, f"{width}-{path.strip('/').replace('/', '-')}")
