import re

import pytest
from django.urls import reverse

from registrations import services

from .conftest import sign_up

pytestmark = pytest.mark.django_db


def sheet(client, event):
    return client.get(reverse("admin:iness_event_sign_in_sheet", args=[event.pk]))


def names_on(response) -> list[str]:
    rows = re.findall(
        r'<tr class="attendee">\s*<td>\d+</td>\s*<td class="last-name">([^<]*)</td>\s*'
        r"<td>([^<]*)</td>\s*<td>([^<]*)</td>",
        response.content.decode(),
    )
    return [f"{last} {first} ({organisation})" for last, first, organisation in rows]


def test_sheet_lists_exactly_the_confirmed_attendees_by_last_name(organiser_client, make_event):
    event = make_event(capacity=4)
    sign_up(event, first_name="Émile", last_name="Zola", organisation="Les Rougon")
    sign_up(event, first_name="Louise", last_name="Écrivaine", organisation="Coop")
    cancelled = sign_up(event, first_name="Parti", last_name="Annulé")
    sign_up(event, first_name="Zoé", last_name="abadie", organisation="Mairie")
    sign_up(event, first_name="Offerte", last_name="Attente")  # waiting list, then offered
    sign_up(event, first_name="Encore", last_name="Attente")  # waiting list
    services.cancel(registration=cancelled, by="test")

    response = sheet(organiser_client, event)

    assert response.status_code == 200
    assert names_on(response) == [
        "ABADIE Zoé (Mairie)",
        "ÉCRIVAINE Louise (Coop)",
        "ZOLA Émile (Les Rougon)",
    ]


def test_sheet_header_gives_the_title_date_and_venue_in_french(organiser_client, make_event):
    import datetime as dt

    event = make_event(title="Journée INESS", date=dt.date(2031, 3, 12), venue="IMT")

    response = sheet(organiser_client, event)

    text = response.content.decode()
    assert '<html lang="fr">' in text
    assert "<h1>Journée INESS</h1>" in text
    assert "mercredi 12 mars 2031, 9\xa0h\xa030\xa0– 17\xa0h\xa030" in text
    assert "IMT, 2, Villa Thoréton, 75015 Paris" in text
    assert "sign-in-sheet.css" in text
    assert "Signature" in text


def test_sheet_prints_on_a4():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "static/css/sign-in-sheet.css").read_text()

    assert "size: A4" in css
    assert "@media print" in css and "table-header-group" in css


def test_sheet_needs_the_right_to_see_sign_ups(client, django_user_model, event):
    clerk = django_user_model.objects.create_user(
        username="clerk", password="x" * 16, is_staff=True
    )
    from django.contrib.auth.models import Permission

    clerk.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(clerk)

    assert sheet(client, event).status_code == 403
