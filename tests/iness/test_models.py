import pytest
from django.db import IntegrityError

pytestmark = pytest.mark.django_db


def test_event_capacity_must_be_positive(make_event):
    with pytest.raises(IntegrityError):
        make_event(capacity=0)


def test_event_capacity_defaults_to_twenty(make_event):
    event = make_event()

    assert event.capacity == 20


def test_english_title_falls_back_to_french_when_missing(make_event):
    from django.utils import translation

    event = make_event(title="Journée", title_en="")

    with translation.override("en"):
        assert event.display_title == "Journée"
