"""The home page states the deadlines and offers only what is still open."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def home(client, language="en") -> tuple[str, str]:
    """The page's HTML, and its text with tags out and spaces folded (non-breaking kept)."""
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    inline = re.sub(r"</?(a|span|strong|bdi)\b[^>]*>", "", html[html.index("<main") :])
    return html, re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", inline)))


def at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_default_timezone())


def test_home_states_both_deadlines_while_both_are_open(client, make_event):
    soon = timezone.localdate() + dt.timedelta(days=10)
    event = make_event(registration_closes_at=at(soon, 23, 59), proposals_close_at=at(soon, 12, 0))

    html, text = home(client)

    assert f"Sign-up to attend Open until {soon:%A} {soon.day} {soon:%B %Y}, 11:59\xa0pm" in text
    assert f"Open until {soon:%A} {soon.day} {soon:%B %Y}, 12:00\xa0pm (Paris time)" in text
    assert reverse("registrations:register", args=[event.slug]) in html
    assert reverse("proposals:submit", args=[event.slug]) in html


def test_home_offers_no_proposal_button_after_the_proposal_deadline(client, make_event):
    event = make_event(proposals_close_at=timezone.now() - dt.timedelta(minutes=1))

    html, text = home(client)

    assert "Proposals of talks and round tables Closed" in text
    assert reverse("proposals:submit", args=[event.slug]) not in html
    assert "Propose a talk or a round table" not in html
    assert reverse("registrations:register", args=[event.slug]) in html


def test_home_says_when_sign_up_opens_and_offers_no_sign_up_before(client, make_event):
    opens = timezone.now() + dt.timedelta(days=3)
    event = make_event(registration_opens_at=opens)

    html, text = home(client, "fr")

    assert "Inscriptions pour participer Ouvriront le " in text
    assert reverse("registrations:register", args=[event.slug]) not in html


def test_home_offers_nothing_to_send_once_everything_is_closed(client, make_event):
    past = timezone.now() - dt.timedelta(hours=1)
    make_event(
        registration_opens_at=past - dt.timedelta(days=5),
        registration_closes_at=past,
        proposals_close_at=past,
    )

    html, text = home(client)

    assert "Sign-up to attend Closed" in text
    assert "Sign up to attend" not in html and "Propose a talk" not in html


def test_a_deadline_after_the_start_of_the_day_is_the_start_of_the_day(client, make_event):
    event = make_event(registration_closes_at=timezone.now() + dt.timedelta(days=300))

    _html, text = home(client)

    assert f"Open until {event.date:%A} {event.date.day} {event.date:%B %Y}, 9:30\xa0am" in text


def test_home_links_to_the_programme_once_published(client, make_event):
    event = make_event(programme_published=True)

    html, _text = home(client)

    assert reverse("proposals:programme", args=[event.slug]) in html
