"""The pages of the days: the home page's presentation or its "no day planned", the practical
information of a day, and the archive of past days."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import states

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


# Home page -----------------------------------------------------------------------------------


def test_home_shows_the_presentation_written_in_markdown(client, make_event):
    make_event(
        presentation="FR", presentation_en=states.PRESENTATION.replace("Les thèmes", "Themes")
    )

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<div class="markdown-text mb-4"><h2>Themes</h2>' in page
    assert "<li>chercheurs</li>" in page and "<strong>innovations</strong>" in page


def test_home_shows_the_french_presentation_to_english_readers_marked_as_french(client, make_event):
    make_event(presentation="Des **échanges**.", presentation_en="")

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<div class="markdown-text mb-4" lang="fr"><p>Des <strong>échanges</strong>.</p>' in page


def test_home_never_lets_organisers_markup_through(client, make_event):
    make_event(
        presentation='<script>alert(1)</script> [x](javascript:alert(1)) <b onclick="y">z</b>'
    )

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "<script>alert" not in page
    assert 'href="javascript:' not in page and "<b onclick" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))" in page


def test_home_links_to_the_practical_information_of_the_next_day(client, make_event):
    make_event(slug="journee-2099")

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert (
        '<a href="/infos-pratiques/journee-2099/">'
        "Practical information: access, accessibility of the venue</a>"
    ) in page


def test_home_without_next_day_says_none_is_planned_and_links_archive_and_contact(
    client, make_event, settings
):
    settings.CONTACT_EMAIL = "contact@example.org"
    make_event(slug="past", title_en="Past day", date=days_ago(30))

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]

    assert "No INESS day is planned yet." in main
    assert '<a href="/archives/">past INESS days</a>' in main
    assert '<a href="mailto:contact@example.org">contact@example.org</a>' in main
    assert "Past day" not in main
    assert "/inscription/" not in main


def test_home_without_next_day_says_so_in_french(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Aucune journée INESS n’est encore prévue." in page
    assert '<a href="/archives/">journées INESS passées</a>' in page


def test_home_shows_an_unpublished_next_day_as_no_day_planned(client, make_event):
    make_event(is_published=False, title_en="Draft day")

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No INESS day is planned yet." in page and "Draft day" not in page


# Practical information -------------------------------------------------------------------------


def test_practical_information_shows_the_facts_and_the_committee_text(client, make_event):
    make_event(
        slug="journee-2099",
        date=dt.date(2099, 3, 11),
        practical_information="## Venir\n\nMétro **Balard**.",
        practical_information_en="## Getting there\n\nMétro **Balard**.",
    )

    french = client.get(
        "/infos-pratiques/journee-2099/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    english = client.get(
        "/infos-pratiques/journee-2099/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "<title>Informations pratiques · Journée test · INESS</title>" in french
    assert "mercredi 11 mars 2099" in french and "2, Villa Thoréton, 75015 Paris" in french
    assert "<h2>Venir</h2>\n<p>Métro <strong>Balard</strong>.</p>" in french
    assert "<h2>Getting there</h2>" in english and "Venir" not in english
    assert "say so in the sign-up form" in english


def test_practical_information_of_an_unpublished_day_is_not_found(client, make_event):
    make_event(slug="draft", is_published=False)

    response = client.get("/infos-pratiques/draft/")

    assert response.status_code == 404


# Archive -----------------------------------------------------------------------------------


def test_archive_lists_past_published_days_latest_first_with_their_programme(client, make_event):
    make_event(slug="d2020", title_en="Day 2020", date=days_ago(1000), programme_published=True)
    make_event(slug="d2022", title_en="Day 2022", date=days_ago(300))
    make_event(slug="hidden", title_en="Hidden day", date=days_ago(200), is_published=False)
    make_event(slug="next", title_en="Next day", date=days_ago(-30))

    page = client.get("/archives/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert page.index("Day 2022") < page.index("Day 2020")
    assert "Hidden day" not in page and "Next day" not in page
    assert '<a href="/programme/d2020/">Programme of ' in page
    assert "/programme/d2022/" not in page
    assert "No programme was published for this day." in page


def test_archive_marks_a_french_title_shown_to_english_readers(client, make_event):
    make_event(slug="old", title="Journée ancienne", title_en="", date=days_ago(100))

    page = client.get("/archives/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<h2 class="h5 mb-1" lang="fr">Journée ancienne</h2>' in page


def test_archive_links_each_programme_to_a_page_that_shows_it(client, make_event):
    make_event(slug="d2020", date=days_ago(1000), programme_published=True)

    response = client.get("/programme/d2020/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200


def test_archive_without_past_days_says_so(client, event):
    page = client.get("/archives/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No INESS day has been held yet." in page


def test_archive_runs_one_query_however_many_days(client, make_event, django_assert_num_queries):
    for n in range(12):
        make_event(slug=f"d{n}", date=days_ago(100 + 365 * n), programme_published=n % 2 == 0)

    with django_assert_num_queries(1):
        response = client.get("/archives/")

    assert response.content.decode().count("<h2") == 12
