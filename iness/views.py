import datetime as dt
from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from . import links
from .abuse import limit_public_posts, post_refused
from .forms import LostLinkForm
from .models import Event


@dataclass(frozen=True)
class Deadlines:
    """What the home page says about sign-up and proposals, and offers: only what is open."""

    signup_open: bool
    signup_not_open_yet: bool
    # Sign-up and proposals also close when the day starts.
    signup_closes_at: dt.datetime
    proposals_open: bool
    proposals_close_at: dt.datetime

    @classmethod
    def of(cls, event: Event, now: dt.datetime | None = None) -> "Deadlines":
        now = now or timezone.now()
        return cls(
            signup_open=event.registration_is_open(now),
            signup_not_open_yet=now < event.registration_opens_at,
            signup_closes_at=min(event.registration_closes_at, event.start),
            proposals_open=event.proposals_are_open(now),
            proposals_close_at=min(event.proposals_close_at, event.start),
        )


def home(request):
    event = Event.objects.next_published()
    deadlines = Deadlines.of(event) if event else None
    return render(request, "iness/home.html", {"event": event, "deadlines": deadlines})


def privacy(request):
    return render(request, "iness/privacy.html", {"event": Event.objects.next_published()})


@never_cache
def healthz(request):
    """For a load balancer: 200 when the app and its database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@sensitive_post_parameters("email")
@sensitive_variables("form")
# The mails it causes are budgeted per person by the mail worker (links.answer_requests).
@limit_public_posts("lost_link", keeps_input=True)
def lost_link(request):
    """Email fresh private links for an address; the answer never says whether it is known.

    The page only records the request (the same work for any address); the mail worker
    looks up what the address has.
    """
    form = LostLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not post_refused(request):
        links.request_links(email=form.cleaned_data["email"], language=translation.get_language())
        return redirect("lost_link_sent")
    return render(request, "iness/lost_link.html", {"form": form})


def lost_link_sent(request):
    return render(request, "iness/lost_link_sent.html")
