"""The programme in calendars: the feed people subscribe to, and one file per item, both read
back with the `icalendar` library as a calendar program would."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from iness.models import Event
from proposals import programme
from proposals.models import Slot

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def feed(client, event, language="fr") -> Calendar:
    response = client.get(reverse("proposals:programme_feed", args=[event.slug, language]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def entries(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_the_feed_has_one_entry_per_public_item_in_paris_time(client, day):
    calendar = feed(client, day)

    assert [str(e["SUMMARY"]) for e in entries(calendar)] == [
        "Accueil",
        "Données de caisse",
        "Déjeuner",
        "Cartographier l’entraide",
    ]
    talk = entries(calendar)[1]
    assert talk.decoded("DTSTART") == dt.datetime.combine(day.date, dt.time(10, 0), PARIS)
    assert talk.decoded("DTEND") == dt.datetime.combine(day.date, dt.time(10, 45), PARIS)
    assert str(talk["LOCATION"]).startswith("Amphi Turing, Institut Mines-Télécom")
    assert "Ada Lovelace (Roule Ensemble)\n李 娜 (Lyon)" in str(talk["DESCRIPTION"])
    assert str(talk["URL"]).endswith(
        f"/programme/{day.slug}/#item-{day.slots.get(room='Amphi Turing').pk}"
    )
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"


def test_the_feed_names_itself_and_asks_to_be_fetched_again(client, day):
    calendar = feed(client, day, "en")

    assert str(calendar["X-WR-CALNAME"]) == "Programme · Test day"
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=6)
    assert [str(e["SUMMARY"]) for e in entries(calendar)][0] == "Welcome"


def test_the_feed_gives_each_item_the_same_uid_every_time(client, day):
    first = [str(e["UID"]) for e in entries(feed(client, day))]
    again = [str(e["UID"]) for e in entries(feed(client, day, "en"))]

    assert first == again
    assert len(set(first)) == 4
    assert all(uid.endswith("@testserver") for uid in first)


def test_a_moved_item_keeps_its_uid_with_a_higher_sequence_and_a_new_stamp(client, day):
    before = {str(e["UID"]): e for e in entries(feed(client, day))}
    slot = day.slots.get(kind=Slot.Kind.LUNCH)
    slot.starts_at = dt.time(13, 0)
    later = (slot.changed_at + dt.timedelta(minutes=5)).replace(microsecond=0)

    programme.save_day(event=day, changed=[slot], now=later)

    after = {str(e["UID"]): e for e in entries(feed(client, day))}
    assert after.keys() == before.keys()
    moved = [
        uid for uid in after if after[uid].decoded("DTSTART") != before[uid].decoded("DTSTART")
    ]
    assert len(moved) == 1
    lunch_before, lunch_after = before[moved[0]], after[moved[0]]
    assert (lunch_before["SEQUENCE"], lunch_after["SEQUENCE"]) == (0, 1)
    assert lunch_after.decoded("LAST-MODIFIED") == later
    assert lunch_after.decoded("DTSTAMP") == later
    assert lunch_after.decoded("DTSTART") == dt.datetime.combine(day.date, dt.time(13, 0), PARIS)
    unchanged = [uid for uid in after if uid not in moved]
    for uid in unchanged:
        assert after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"]
        assert after[uid].decoded("DTSTAMP") == before[uid].decoded("DTSTAMP")


def test_the_feed_is_not_there_until_the_programme_is_published(client, day):
    Event.objects.filter(pk=day.pk).update(programme_published=False)

    response = client.get(reverse("proposals:programme_feed", args=[day.slug, "fr"]))

    assert response.status_code == 404


def test_an_item_s_file_holds_that_item_alone_under_the_feed_s_uid(client, day):
    slot = day.slots.get(room="Amphi Turing")
    uids = {str(e["SUMMARY"]): str(e["UID"]) for e in entries(feed(client, day))}

    response = client.get(reverse("proposals:programme_item", args=[day.slug, slot.pk, "en"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{day.slug}-{slot.pk}.ics"'
    [entry] = entries(Calendar.from_ical(response.content))
    assert str(entry["UID"]) == uids["Données de caisse"]
    assert "Talk" in str(entry["DESCRIPTION"])


def test_no_file_for_an_item_the_public_may_not_see(client, day):
    hidden = day.slots.get(proposal__title="Pas encore annoncée")

    response = client.get(reverse("proposals:programme_item", args=[day.slug, hidden.pk, "fr"]))

    assert response.status_code == 404


def test_the_day_s_own_calendar_file_keeps_its_uid(event):
    from registrations.ics import event_calendar

    [entry] = Calendar.from_ical(event_calendar(event, language="en")).walk("VEVENT")

    assert str(entry["UID"]) == f"{event.slug}@testserver"
    assert str(entry["SUMMARY"]) == "Test day"
