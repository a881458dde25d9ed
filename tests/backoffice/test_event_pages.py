"""Organisers write the pages of a day in the admin and preview them before saving."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from iness.models import Event

from .test_events import event_form

pytestmark = pytest.mark.django_db

TEXTS = {
    "presentation": "## Thèmes\n\nDes **innovations** sociales.",
    "presentation_en": "## Themes\n\n- digital\n- social",
    "practical_information": "Métro *Balard*.",
    "practical_information_en": "",
}


def change_url(event) -> str:
    return reverse("admin:iness_event_change", args=[event.pk])


def test_event_form_offers_the_texts_and_a_preview_button(organiser_client, event):
    page = organiser_client.get(change_url(event)).content.decode()

    assert 'name="presentation"' in page and 'name="practical_information_en"' in page
    assert '<input type="submit" value="Preview the texts" name="_preview">' in page
    assert "Markdown: a blank line between paragraphs" in page


def test_preview_shows_each_text_as_visitors_will_and_saves_nothing(
    organiser_client, event, mailoutbox
):
    response = organiser_client.post(
        change_url(event), event_form(event, capacity=40, _preview="1", **TEXTS)
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "Preview: nothing is saved yet" in page
    assert '<div class="markdown-preview-text" lang="fr"><h4>Thèmes</h4>' in page
    assert "<p>Des <strong>innovations</strong> sociales.</p>" in page
    assert '<div class="markdown-preview-text" lang="en"><h4>Themes</h4>' in page
    assert "<p>Métro <em>Balard</em>.</p>" in page
    assert "(empty)" in page  # practical information in English
    # The form comes back as typed, to go on editing.
    assert "## Themes\n\n- digital\n- social</textarea>" in page
    event.refresh_from_db()
    assert (event.presentation, event.capacity) == ("", 20)
    assert not LogEntry.objects.exists()
    assert mailoutbox == []


def test_preview_never_lets_markup_through(organiser_client, event):
    response = organiser_client.post(
        change_url(event),
        event_form(
            event,
            _preview="1",
            presentation='<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick="y">z</b>',
        ),
    )
    preview = (
        response.content.decode().split('class="markdown-preview"', 1)[1].split("</section>")[0]
    )

    assert "<script" not in preview and "<b" not in preview and "href" not in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview


def test_preview_still_shows_mistakes_beside_their_fields(organiser_client, event):
    response = organiser_client.post(
        change_url(event),
        event_form(event, _preview="1", venue="", presentation="Un texte\x07 avec une cloche"),
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "This field is required." in page
    assert "This text contains special invisible characters" in page
    assert "Preview: nothing is saved yet" in page


def test_saving_after_the_preview_stores_the_texts(organiser_client, event):
    response = organiser_client.post(change_url(event), event_form(event, _save="1", **TEXTS))

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.presentation == TEXTS["presentation"]
    assert event.presentation_en == TEXTS["presentation_en"]
    assert event.practical_information == TEXTS["practical_information"]


def test_preview_of_a_new_event_creates_nothing(organiser_client, event):
    data = event_form(event, slug="new-day", _preview="1", **TEXTS)

    response = organiser_client.post(reverse("admin:iness_event_add"), data)

    assert response.status_code == 200
    assert "<p>Des <strong>innovations</strong> sociales.</p>" in response.content.decode()
    assert list(Event.objects.values_list("slug", flat=True)) == [event.slug]


def test_saved_texts_show_on_the_public_pages(organiser_client, client, event):
    organiser_client.post(change_url(event), event_form(event, _save="1", **TEXTS))
    organiser_client.logout()

    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    practical = client.get(
        f"/infos-pratiques/{event.slug}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "<h2>Themes</h2>\n<ul>\n<li>digital</li>" in home
    # No English practical information: the French one, marked as French.
    assert '<div class="markdown-text mb-4" lang="fr"><p>Métro <em>Balard</em>.</p>' in practical
