"""The day as an iCalendar file (.ics), attached to confirmations and reminders."""

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from iness.models import Event


def event_calendar(event: Event, *, language: str | None = None) -> str:
    """One VEVENT in Paris time (with its VTIMEZONE), titled in `language`."""
    with translation.override(language or translation.get_language()):
        title = event.display_title
        description = event.display_description
    calendar = Calendar()
    calendar.add("prodid", "-//INESS//INESS day//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    # Stable across mails, so a calendar updates the entry instead of adding a second one.
    entry.add("uid", f"{event.slug}@{settings.SITE_URL.split('://')[-1]}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.start)
    entry.add("dtend", event.end)
    entry.add("summary", title)
    entry.add("location", f"{event.venue}, {event.address}")
    entry.add("description", description)
    entry.add("url", settings.SITE_URL + "/")
    calendar.add_component(entry)
    # The time-zone rules of the year around the day only, not fifty years of them.
    calendar.add_missing_timezones(
        first_date=event.date - dt.timedelta(days=366),
        last_date=event.date + dt.timedelta(days=366),
    )
    return calendar.to_ical().decode("utf-8")
