"""Template filters for the site's one way of writing dates and times (see iness.dates).

Loaded in every template (TEMPLATES "builtins"), beside Django's `date` and `time`, which
are used without an argument: `{{ day|date }}`, `{{ t|time }}`.
"""

from django import template

from iness import dates

register = template.Library()


@register.filter(expects_localtime=True)
def datetime(value):
    """`{{ deadline|datetime }}`: "mercredi 10 mars 2027 à 9 h 30"."""
    return dates.format_datetime(value) if value not in (None, "") else ""


@register.filter(expects_localtime=True)
def timerange(start, end):
    """`{{ event.starts_at|timerange:event.ends_at }}`: "9 h 30 – 17 h 30"."""
    if start in (None, "") or end in (None, ""):
        return ""
    return dates.format_time_range(start, end)
