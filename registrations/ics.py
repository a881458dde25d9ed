"""The day as an iCalendar file (.ics), attached to confirmations and reminders."""

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Event as CalendarEvent

from iness.ics import new_calendar, to_ics, uid
from iness.models import Event


def event_calendar(event: Event, *, language: str | None = None) -> str:
    """One VEVENT in Paris time (with its VTIMEZONE), titled in `language`."""
    with translation.override(language or translation.get_language()):
        title = event.display_title
        description = event.display_description
    calendar = new_calendar()
    entry = CalendarEvent()
    # Stable across mails, so a calendar updates the entry instead of adding a second one.
    entry.add("uid", uid(event.slug))
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.start)
    entry.add("dtend", event.end)
    entry.add("summary", title)
    entry.add("location", f"{event.venue}, {event.address}")
    entry.add("description", description)
    entry.add("url", settings.SITE_URL + "/")
    calendar.add_component(entry)
    return to_ics(calendar, around=event.date)
