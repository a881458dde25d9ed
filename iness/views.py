from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from . import links
from .abuse import limit_mails_per_address, limit_public_posts
from .forms import LostLinkForm
from .models import Event


def home(request):
    event = Event.objects.next_published()
    return render(request, "iness/home.html", {"event": event})


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
@limit_public_posts("lost_link")
# The form cannot be used to flood someone's inbox from many client addresses.
@limit_mails_per_address("lost_link.email")
def lost_link(request):
    """Email fresh private links for an address; the answer never says whether it is known."""
    form = LostLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            links.send_lost_links(
                email=form.cleaned_data["email"], language=translation.get_language()
            )
        return redirect("lost_link_sent")
    return render(request, "iness/lost_link.html", {"form": form})


def lost_link_sent(request):
    return render(request, "iness/lost_link_sent.html")
