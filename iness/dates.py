"""The one way the site writes dates and times, in each language.

    French   "mercredi 10 mars 2027"    "9 h 30"    "mercredi 10 mars 2027 à 9 h 30"
    English  "Wednesday 10 March 2027"  "9:30 am"   "Wednesday 10 March 2027, 9:30 am"

Pages, mails, the admin, exports and the sign-in sheet all go through here (Python) or through
the template filters of `iness/templatetags/iness_dates.py`: `{{ day|date }}`, `{{ t|time }}`,
`{{ moment|datetime }}`, `{{ start|timerange:end }}`, never a format string of one's own. The
formats are in `iness/formats/<language>/formats.py`, which Django's admin reads as well;
these helpers take aware datetimes to Paris time first. `tests/iness/test_dates.py` reads
every page and mail for any other way of writing them.
"""

import datetime as dt

from django.utils import formats, timezone

# Between the two ends of a time range: the dash stays with the first time when lines wrap.
RANGE_SEPARATOR = "\u00a0– "


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: dt.date | dt.datetime | None) -> str:
    """ "mercredi 10 mars 2027", "Wednesday 10 March 2027"."""
    if value is None:
        return ""
    return formats.date_format(_local(value), "DATE_FORMAT")


def format_time(value: dt.time | dt.datetime | None) -> str:
    """ "9 h 30", "9:30 am"."""
    if value is None:
        return ""
    return formats.time_format(_local(value), "TIME_FORMAT")


def format_datetime(value: dt.datetime | None) -> str:
    """ "mercredi 10 mars 2027 à 9 h 30", "Wednesday 10 March 2027, 9:30 am"."""
    if value is None:
        return ""
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def format_time_range(start: dt.time | dt.datetime, end: dt.time | dt.datetime) -> str:
    """ "9 h 30 – 10 h 15", "9:30 am – 10:15 am"."""
    return f"{format_time(start)}{RANGE_SEPARATOR}{format_time(end)}"
