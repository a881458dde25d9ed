""" "Delete my data" behind a sign-up's private link: a confirmation page, then the erasure.

The erasure itself is `services.erase`; the link stops working at once, so the browser is
sent to a page that needs no link.
"""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import services
from .forms import ConfirmForm
from .views import private_page


@require_http_methods(["GET", "POST"])
@private_page
def delete_data(request, *, registration, token):
    """GET: what will happen, and a button. POST (the button): erase, then say it is done."""
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        services.erase(registration=registration)
        return redirect("registrations:data_deleted")
    return render(
        request,
        "registrations/delete_data.html",
        {
            "registration": registration,
            "event": registration.event,
            "token": token,
            "frees_seat": registration.is_active and timezone.now() < registration.event.start,
            "form": ConfirmForm(),
        },
    )


def data_deleted(request):
    response = render(request, "privacy/data_deleted.html", {"what": "registration"})
    response["X-Robots-Tag"] = "noindex"
    return response
