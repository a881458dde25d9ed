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
