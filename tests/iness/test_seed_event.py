import pytest
from django.core.management import call_command

from iness.models import Event

pytestmark = pytest.mark.django_db


def test_seed_event_writes_french_colons_after_a_non_breaking_space():
    call_command("seed_event")

    event = Event.objects.get()
    assert event.title.startswith("Journée INESS\u00a0: ")
    for text in (event.title, event.description):
        assert " :" not in text
        assert "\u00a0:" in text


def test_seed_event_leaves_an_existing_event_as_organisers_edited_it():
    call_command("seed_event")
    Event.objects.update(title="Titre revu")

    call_command("seed_event")

    assert list(Event.objects.values_list("title", flat=True)) == ["Titre revu"]


def test_seed_event_writes_the_pages_of_the_day_in_both_languages():
    call_command("seed_event")

    event = Event.objects.get()
    assert "## Les thèmes de la journée" in event.presentation
    assert "## The themes of the day" in event.presentation_en
    assert "liste d’attente" in event.practical_information
    assert "waiting list" in event.practical_information_en
    for text in (event.presentation, event.practical_information):
        assert " :" not in text and " ?" not in text and " ;" not in text


def test_seed_event_gives_an_existing_day_its_pages_once():
    call_command("seed_event")
    Event.objects.update(
        presentation="", presentation_en="", practical_information="", practical_information_en=""
    )

    call_command("seed_event")

    event = Event.objects.get()
    assert event.presentation.startswith("## Les thèmes")
    assert event.practical_information_en.startswith("## Limited seats")


def test_seed_event_never_replaces_a_page_organisers_wrote():
    call_command("seed_event")
    Event.objects.update(
        presentation="Notre texte",
        presentation_en="",
        practical_information="",
        practical_information_en="",
    )

    call_command("seed_event")

    event = Event.objects.get()
    assert (event.presentation, event.presentation_en, event.practical_information) == (
        "Notre texte",
        "",
        "",
    )
