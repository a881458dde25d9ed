from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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
