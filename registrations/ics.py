"""The day as an iCalendar file (.ics), attached to confirmations and reminders, and the file
that takes it out of a calendar again, attached to the cancellation."""

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Event as CalendarEvent

from iness.ics import new_calendar, to_ics, uid
from iness.models import Event

# The entry's versions (iCalendar SEQUENCE): a cancellation must outrank the file that added
# the entry, or calendar programs ignore it.
ADDED, CANCELLED = 0, 1


def event_calendar(
    event: Event,
    *,
    language: str | None = None,
    registration_id: int | None = None,
    cancel: bool = False,
) -> str:
    """One VEVENT in Paris time (with its VTIMEZONE), titled in `language`.

    `registration_id`: the file of one sign-up, whose entry has a UID of its own, so that
    its cancellation (`cancel`: METHOD:CANCEL, STATUS:CANCELLED, a higher SEQUENCE) removes
    that entry, and a later sign-up of the same person adds a new one that no earlier
    cancellation outranks.
    """
    with translation.override(language or translation.get_language()):
        title = event.display_title
        description = event.display_description
    calendar = new_calendar(method="CANCEL" if cancel else "PUBLISH")
    entry = CalendarEvent()
    # Stable across mails, so a calendar updates the entry instead of adding a second one.
    local = event.slug if registration_id is None else f"{event.slug}-signup-{registration_id}"
    entry.add("uid", uid(local))
    entry.add("sequence", CANCELLED if cancel else ADDED)
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.start)
    entry.add("dtend", event.end)
    entry.add("summary", title)
    entry.add("location", f"{event.venue}, {event.address}")
    entry.add("description", description)
    entry.add("url", settings.SITE_URL + "/")
    if cancel:
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    return to_ics(calendar, around=event.date)
