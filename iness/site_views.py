"""The pages of a public body's site, and of the days beyond the next one.

- the legal notice and the accessibility statement (their facts: `iness.legal`);
- the archive of past INESS days, each with its programme once published;
- the practical information of a day, written by the committee.
"""

from django.shortcuts import get_object_or_404, render

from .legal import accessibility_facts, legal_facts
from .models import Event


def legal_notice(request):
    return render(request, "iness/legal_notice.html", {"legal": legal_facts()})


def accessibility(request):
    return render(request, "iness/accessibility.html", {"accessibility": accessibility_facts()})


def archive(request):
    days = Event.objects.published().past()
    return render(request, "iness/archive.html", {"days": days})


def practical_information(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return render(request, "iness/practical_information.html", {"event": event})
