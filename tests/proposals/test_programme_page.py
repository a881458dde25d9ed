"""The public programme page, the speaker's slot on their private page, and the programme's
link in the mails."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from iness.models import Event, OutgoingMail
from proposals.models import Slot
from registrations import services as registrations
from tests import states
from tests.registrations.conftest import person

from .conftest import accepted, item, place

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's text, as a reader gets it (tags out, spaces folded, non-breaking ones kept)."""
    html = response.content.decode()
    body = html[html.index("<main") :]
    inline = re.sub(r"</?(bdi|a|span|strong|em|code)\b[^>]*>", "", body)
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", inline))).strip()


def page(client, event, language):
    return client.get(
        reverse("proposals:programme", args=[event.slug]), HTTP_ACCEPT_LANGUAGE=language
    )


def test_the_programme_is_a_timeline_of_the_day_in_french(client, day):
    reader = text(page(client, day, "fr"))

    assert (
        "9\xa0h\xa030\xa0– 10\xa0h\xa000 Accueil" in reader
        and "10\xa0h\xa000\xa0– 10\xa0h\xa045 Salle\xa0: Amphi Turing Données de caisse "
        "Restitution Ada Lovelace, Roule Ensemble 李 娜, Lyon"
        in reader
    )
    order = ["Accueil", "Données de caisse", "Déjeuner", "Cartographier l’entraide"]
    assert [reader.index(title) for title in order] == sorted(reader.index(t) for t in order)
    assert "14\xa0h\xa000\xa0– 15\xa0h\xa030 Cartographier l’entraide Table ronde" in reader


def test_the_programme_is_a_timeline_of_the_day_in_english(client, day):
    reader = text(page(client, day, "en"))

    assert "9:30\xa0am\xa0– 10:00\xa0am Welcome" in reader
    assert "12:30\xa0pm\xa0– 1:30\xa0pm Lunch" in reader
    assert "2:00\xa0pm\xa0– 3:30\xa0pm Cartographier l’entraide Round table" in reader
    assert "Wednesday" in reader or "day" in reader


def test_the_programme_leaves_out_what_speakers_have_not_been_told(client, day):
    assert "Pas encore annoncée" not in page(client, day, "fr").content.decode()


def test_accepted_proposals_without_a_time_are_listed_after_the_timeline(client, day):
    reader = text(page(client, day, "en"))

    assert "Also on the programme, time to be announced Heure à venir Talk" in reader


def test_each_item_offers_its_calendar_file_and_the_page_the_feed(client, day):
    html = page(client, day, "en").content.decode()
    lunch = day.slots.get(kind=Slot.Kind.LUNCH)

    assert f'href="/programme/{day.slug}/{lunch.pk}-en.ics"' in html
    assert f"http://testserver/programme/{day.slug}/programme-en.ics" in html


def test_the_programme_stays_hidden_until_it_is_published(client, day):
    Event.objects.filter(pk=day.pk).update(programme_published=False)

    html = page(client, day, "en").content.decode()

    assert "The programme is not published yet" in html
    assert "Données de caisse" not in html and "Welcome" not in html


def test_the_programme_page_reads_the_same_few_queries_whatever_its_length(
    client, day, django_assert_max_num_queries
):
    for hour in range(15, 17):
        place(day, item(day, f"{hour}:40", 15, kind=Slot.Kind.BREAK))

    # The event, the programme's items, the accepted people they name, the proposals
    # without a time (and theirs).
    with django_assert_max_num_queries(6):
        assert page(client, day, "fr").status_code == 200


def test_the_programme_prints_on_a4_without_the_site_s_frame():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    printed = css[css.index("/* The programme on A4") :]

    assert "size: A4" in printed
    assert ".timeline-item" in printed and "break-inside: avoid" in printed


# The speaker's private page. -----------------------------------------------------------------


def test_a_speaker_sees_their_slot_on_their_private_page_once_published(client, event):
    talk = accepted(event, title="Données de caisse", language="fr")
    place(event, item(event, "10:00", 45, proposal=talk, room="Amphi Turing"))
    path = states.private_path(talk, "proposals:manage")

    before = text(client.get(path, HTTP_ACCEPT_LANGUAGE="fr"))
    Event.objects.filter(pk=event.pk).update(programme_published=True)
    after = text(client.get(path, HTTP_ACCEPT_LANGUAGE="fr"))

    assert "votre créneau apparaîtra ici dès sa publication" in before
    assert "10\xa0h\xa000\xa0– 10\xa0h\xa045, Amphi Turing (heure de Paris)" in after
    assert "L’ajouter à mon agenda" in after


def test_a_speaker_not_yet_accepted_sees_no_slot_section(client, event, proposal):
    path = states.private_path(proposal, "proposals:manage")

    assert "Your time slot" not in client.get(path).content.decode()


# Mails link to the programme once it is published. -------------------------------------------


def sign_up_and_remind(event, language="en"):
    registration = registrations.register(
        event=event, data=person(language=language), verified=True
    ).registration
    Event.objects.filter(pk=event.pk).update(date=timezone.localdate() + dt.timedelta(days=2))
    registrations.send_reminders(days=3, by="test")
    return registration


def test_the_seat_confirmation_and_the_reminder_link_to_the_published_programme(make_event):
    event = make_event(programme_published=True)

    sign_up_and_remind(event)

    for kind in ("registrations.confirmed", "registrations.reminder"):
        mail = OutgoingMail.objects.get(kind=kind)
        assert f"The programme of the day:\nhttp://testserver/programme/{event.slug}/" in (
            mail.body
        ), kind


def test_mails_say_nothing_of_a_programme_not_published(make_event):
    event = make_event(programme_published=False)

    sign_up_and_remind(event)

    for mail in OutgoingMail.objects.filter(kind__startswith="registrations."):
        assert "/programme/" not in mail.body, mail.kind
