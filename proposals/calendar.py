"""The programme in calendars: a feed to subscribe to, and a file per item.

One VEVENT per item of the public programme (`proposals.programme.published_items`). Each has
a UID that never changes (the item's number), and the SEQUENCE, LAST-MODIFIED and DTSTAMP
that `programme.save_day` raises and stamps when the item moves or is renamed, so that
a subscribed calendar updates the entry in place. An item that leaves the programme leaves
the feed, and subscribed calendars drop it.
"""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Event as CalendarEvent

from iness.ics import new_calendar, to_ics, uid
from iness.models import Event

if TYPE_CHECKING:
    from .programme import ProgrammeItem

# How often subscribed calendars should fetch the feed again.
REFRESH = dt.timedelta(hours=6)


def programme_calendar(event: Event, items: Iterable["ProgrammeItem"], *, language: str) -> str:
    """The feed: every item of the public programme, in `language`."""
    with translation.override(language):
        calendar = new_calendar(
            name=gettext("Programme · %(title)s") % {"title": event.display_title}
        )
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH)
        for item in items:
            calendar.add_component(_entry(event, item))
    return to_ics(calendar, around=event.date)


def item_calendar(item: "ProgrammeItem", *, language: str) -> str:
    """One item alone: "add to my calendar" on the page, and the speaker's mail."""
    event = item.slot.event
    with translation.override(language):
        calendar = new_calendar()
        calendar.add_component(_entry(event, item))
    return to_ics(calendar, around=event.date)


def item_uid(slot) -> str:
    return uid(f"programme-item-{slot.pk}")


def _entry(event: Event, item: "ProgrammeItem") -> CalendarEvent:
    slot = item.slot
    entry = CalendarEvent()
    entry.add("uid", item_uid(slot))
    entry.add("sequence", slot.sequence)
    # The moment this version of the item was written, the same in every download, so that
    # fetching the feed again changes nothing until the item does.
    entry.add("dtstamp", slot.changed_at)
    entry.add("last-modified", slot.changed_at)
    entry.add("dtstart", slot.start)
    entry.add("dtend", slot.end)
    entry.add("summary", item.title)
    place = f"{event.venue}, {event.address}"
    entry.add("location", f"{slot.room.strip()}, {place}" if slot.room.strip() else place)
    entry.add("description", _description(event, item))
    entry.add("url", programme_page(event) + f"#item-{slot.pk}")
    return entry


def _description(event: Event, item: "ProgrammeItem") -> str:
    lines = []
    proposal = item.proposal
    if proposal is not None:
        lines.append(proposal.get_format_display())
        lines += [
            f"{person.name} ({person.organisation})" if person.organisation else person.name
            for person in item.speakers
        ]
        lines += ["", proposal.summary]
    lines += ["", event.display_title, programme_page(event)]
    return "\n".join(lines).strip()


def programme_page(event: Event) -> str:
    return settings.SITE_URL + reverse("proposals:programme", args=[event.slug])
