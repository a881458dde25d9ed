""" "Delete my data" behind a proposal's private link: a confirmation page, then the erasure.

The erasure itself is `services.erase`; the link stops working at once, so the browser is
sent to a page that needs no link.
"""

from functools import wraps

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services


def _private_page(view):
    """An unknown or replaced link gets the clear "link does not work" page; the page is
    never cached and its address (the token) never leaves in a Referer for another site."""

    @wraps(view)
    @never_cache
    def wrapper(request, token):
        proposal = services.find_by_token(token)
        if proposal is None:
            response = render(request, "proposals/invalid_link.html", status=404)
        else:
            response = view(request, proposal=proposal, token=token)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


@require_http_methods(["GET", "POST"])
@_private_page
def delete_data(request, *, proposal, token):
    """GET: what will happen, and a button. POST (the button): erase, then say it is done."""
    if request.method == "POST":
        services.erase(proposal=proposal)
        return redirect("proposals:data_deleted")
    return render(
        request,
        "proposals/delete_data.html",
        {
            "proposal": proposal,
            "event": proposal.event,
            "token": token,
            "withdraws": services.can_withdraw(proposal),
        },
    )


def data_deleted(request):
    response = render(request, "privacy/data_deleted.html", {"what": "proposal"})
    response["X-Robots-Tag"] = "noindex"
    return response
