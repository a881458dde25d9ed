import re

import pytest
from django.core import mail

from iness.models import OutgoingMail
from proposals.models import Proposal
from registrations.models import Registration
from tests.conftest import deliver_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^\s]+/ma-proposition/[A-Za-z0-9_-]+/")


def test_speaker_proposes_a_round_table_and_edits_it_through_the_mailed_link(
    page, live_server, event, settings
):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Propose a talk or a round table").click()

    page.get_by_label(re.compile(r"Round table:")).check()
    page.get_by_label(re.compile(r"Title")).fill("Imaginer une étude sur une épicerie solidaire")
    page.get_by_label(re.compile(r"Summary")).fill("Ce que les données de caisse racontent.")
    page.get_by_label(re.compile(r"The experience or initiative")).fill("L'Épicerie du coin, Lyon")
    page.locator("#id_first_name").fill("Ada")
    page.locator("#id_last_name").fill("Lovelace")
    page.locator("#id_email").fill("ada@example.org")
    page.locator("#id_organisation").fill("Épicerie du coin")
    # A round table names at least two panellists, in rows that need no script.
    for row, (first, last) in enumerate([("Amina", "Haddad"), ("Grace", "Hopper")], start=1):
        page.locator(f"#id_panel_{row}_first_name").fill(first)
        page.locator(f"#id_panel_{row}_last_name").fill(last)
        page.locator(f"#id_panel_{row}_email").fill(f"{first.lower()}@example.org")
    page.get_by_label("Social and solidarity economy organisation").check()
    page.get_by_label("Practitioner", exact=True).check()
    assert page.get_by_label(re.compile(r"Also sign me up")).is_checked()
    page.get_by_label(re.compile(r"I have read the privacy notice")).check()
    page.get_by_role("button", name="Send my proposal").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Proposal received"
    assert "To attend the day as well, check your inbox" in page.locator("main").inner_text()
    proposal = Proposal.objects.get()
    assert proposal.format == "round_table"
    assert Registration.objects.get().status == "held"  # until confirmed from the mailed link

    deliver_mail()  # the links are minted when the mail worker sends
    [receipt] = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    page.goto(LINK.search(receipt.body).group(0))
    assert "Imaginer une étude sur une épicerie solidaire" in page.locator("main").inner_text()
    page.get_by_role("link", name="Change my proposal").click()
    page.get_by_label(re.compile(r"Title")).fill("Étudier ensemble une épicerie solidaire")
    page.get_by_role("button", name="Save my changes").click()

    main = page.locator("main").inner_text()
    assert "Your changes are saved" in main
    assert "Étudier ensemble une épicerie solidaire" in main
    proposal.refresh_from_db()
    assert proposal.title == "Étudier ensemble une épicerie solidaire"
    assert OutgoingMail.objects.filter(kind="proposals/edited").count() == 1
