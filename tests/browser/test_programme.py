"""The programme in a real browser: organisers build the day in the admin under the site's
strict Content-Security-Policy, visitors read and print it, with or without JavaScript."""

import datetime as dt
import re

import pytest

from proposals import programme
from proposals.models import Proposal, Slot
from tests import states
from tests.backoffice.conftest import organisers_group, propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, django_user_model):
    organiser = django_user_model.objects.create_user(
        username="claire", password="organiser-pass-123", is_staff=True
    )
    organiser.groups.add(organisers_group())
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill("organiser-pass-123")
    page.get_by_role("button", name="Log in").click()


def test_organisers_build_the_day_in_the_admin_under_the_strict_csp(
    page, live_server, event, django_user_model
):
    talk = propose(event, title="Données de caisse")
    Proposal.objects.filter(pk=talk.pk).update(status=Proposal.Status.ACCEPTED)
    sign_in(page, live_server.url, django_user_model)
    page.goto(live_server.url + f"/admin/iness/event/{event.pk}/change/")

    page.locator("#id_slots-0-starts_at").fill("09:30")
    page.locator("#id_slots-0-duration").fill("30")
    page.locator("#id_slots-0-kind").select_option("welcome")
    page.locator("#id_slots-1-duration").fill("45")
    page.locator("#id_slots-1-proposal").select_option(str(talk.pk))
    # The admin's own script adds a line: it runs under the site's CSP (no inline script).
    page.locator("#slots-group .add-row a").click()
    page.locator("#id_slots-3-duration").fill("15")
    page.locator("#id_slots-3-kind").select_option("break")
    page.get_by_role("button", name="Save and continue editing").click()

    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    assert [(s.starts_at, s.duration) for s in Slot.objects.order_by("starts_at")] == [
        (dt.time(9, 30), 30),
        (dt.time(10, 0), 45),
        (dt.time(10, 45), 15),
    ]
    ends = page.locator("#slots-group td.field-ends").all_inner_texts()
    assert [e.strip() for e in ends[:3]] == ["10:00\xa0am", "10:45\xa0am", "11:00\xa0am"]


def test_an_overlap_is_shown_beside_the_field_in_the_admin(
    page, live_server, event, django_user_model
):
    sign_in(page, live_server.url, django_user_model)
    page.goto(live_server.url + f"/admin/iness/event/{event.pk}/change/")

    for index, (start, kind) in enumerate([("10:00", "welcome"), ("10:15", "break")]):
        page.locator(f"#id_slots-{index}-starts_at").fill(start)
        page.locator(f"#id_slots-{index}-duration").fill("30")
        page.locator(f"#id_slots-{index}-kind").select_option(kind)
    page.get_by_role("button", name="Save and continue editing").click()

    row = page.locator("#slots-1")
    assert "Overlaps “Welcome”" in row.locator(".errorlist").inner_text()
    assert Slot.objects.count() == 0


@pytest.mark.parametrize("javascript", [True, False])
def test_visitors_read_the_programme_with_or_without_javascript(make_page, live_server, javascript):
    page = make_page(language="fr", width=320, javascript=javascript)

    page.goto(live_server.url + states.programme())

    items = page.locator("ol.timeline > li")
    assert items.count() == 5
    assert items.first.inner_text().startswith("9\xa0h\xa030\xa0– 10\xa0h\xa000")
    assert page.get_by_role("link", name=re.compile("Ajouter à mon agenda")).count() == 5


def test_the_printed_programme_leaves_out_the_site_s_frame_and_links(page, live_server):
    page.goto(live_server.url + states.programme())
    page.emulate_media(media="print")

    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".programme-subscribe").is_visible()
    assert not page.get_by_role("link", name=re.compile("Add to my calendar")).first.is_visible()
    assert page.locator("ol.timeline > li").first.is_visible()


def test_a_speaker_follows_their_slot_from_the_private_page_to_the_programme(page, live_server):
    page.goto(live_server.url + states.proposal_page_with_a_slot())

    assert "2:00\xa0pm\xa0– 2:45\xa0pm, B" in page.locator(".speaker-slot").inner_text()
    page.get_by_role("link", name="See it in the programme").click()

    slot = Slot.objects.get()
    assert page.url.endswith(f"#item-{slot.pk}")
    assert page.locator(f"#item-{slot.pk}").is_visible()
    assert programme.speaker_slot(slot.proposal) == slot
