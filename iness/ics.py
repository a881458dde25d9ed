"""What every iCalendar file (.ics) of the site shares, built with the `icalendar` library.

`registrations.ics` makes the file of the whole day (attached to confirmations and reminders),
`proposals.calendar` the programme's feed and the file of each of its items.
"""

import datetime as dt

from django.conf import settings
from icalendar import Calendar


def new_calendar(*, name: str = "", method: str = "PUBLISH") -> Calendar:
    """An empty calendar; `name` is what calendar programs show for a subscribed feed;
    `method`: PUBLISH, or CANCEL for a file that removes the entries it names (by UID)."""
    calendar = Calendar()
    calendar.add("prodid", "-//INESS//INESS day//FR")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
    return calendar


def uid(local_part: str) -> str:
    """A UID that stays the same across files, feeds and mails, so that a calendar updates
    its entry instead of adding a second one."""
    return f"{local_part}@{settings.SITE_URL.split('://')[-1]}"


def to_ics(calendar: Calendar, *, around: dt.date) -> str:
    """The file's text, with the Paris time zone's rules of the year around `around` only,
    not fifty years of them."""
    calendar.add_missing_timezones(
        first_date=around - dt.timedelta(days=366),
        last_date=around + dt.timedelta(days=366),
    )
    return calendar.to_ical().decode("utf-8")
