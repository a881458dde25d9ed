"""An unpublished event shows nothing of itself on any public page: every address that names
it by its slug answers 404, to a GET and to a POST (issue 13.4)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests import states

pytestmark = pytest.mark.django_db


def _slug_paths(patterns=None, prefix=""):
    """Every public URL pattern that takes an event's slug, as a path template."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _slug_paths(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and "<slug:slug>" in str(entry.pattern):
            yield prefix + str(entry.pattern)


def _path(template: str, slug: str) -> str:
    path = (
        template.replace("<slug:slug>", slug)
        .replace("<int:pk>", "1")
        .replace("<language:language>", "fr")
    )
    assert "<" not in path, f"fill in {path}"
    return "/" + path


SLUG_PATHS = sorted(_slug_paths())


def test_the_public_pages_of_a_day_are_all_checked_here():
    assert {
        "inscription/<slug:slug>/",
        "inscription/<slug:slug>/merci/",
        "proposition/<slug:slug>/",
        "proposition/<slug:slug>/envoyee/",
        "programme/<slug:slug>/",
        "infos-pratiques/<slug:slug>/",
    } <= set(SLUG_PATHS)


@pytest.mark.parametrize("template", SLUG_PATHS)
def test_every_public_page_of_a_draft_event_answers_404(client, template):
    draft = states.new_event(is_published=False, programme_published=True, title="Secret draft")

    response = client.get(_path(template, draft.slug), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "Secret draft" not in response.content.decode(errors="replace")


@pytest.mark.parametrize("template", SLUG_PATHS)
def test_posting_to_a_draft_event_answers_404_and_saves_nothing(client, template):
    draft = states.new_event(is_published=False)

    response = client.post(_path(template, draft.slug), states.signup_form_data())

    assert response.status_code in (404, 405)
    assert draft.registrations.count() == 0
