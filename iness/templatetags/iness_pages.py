"""The committee's texts of a day, in the reader's language, as safe HTML.

    {% event_text event "presentation" as presentation %}
    {% include "includes/markdown_text.html" with text=presentation %}

    {% localized event "title" as title %}
    <h2{% if title.language != LANGUAGE_CODE %} lang="{{ title.language }}"{% endif %}>{{ title.text }}</h2>

Each says which language the text is in, so that the page can mark it when it is not the
page's (an English reader sees the French text when organisers wrote none in English).
"""

from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString

from iness.markup import render_markdown
from iness.models import Event

register = template.Library()


@dataclass(frozen=True)
class ShownText:
    html: SafeString
    language: str


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str


@register.simple_tag
def localized(event: Event, field: str) -> LocalizedText:
    """A plain text of the day (title, description...) in the reader's language."""
    text, language = event.localized(field)
    return LocalizedText(text=text, language=language)


@register.simple_tag
def event_text(event: Event, field: str, top_heading: int = 2) -> ShownText:
    text, language = event.localized(field)
    return ShownText(html=render_markdown(text, top_heading=top_heading), language=language)
