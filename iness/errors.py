"""Error pages: in the site's style and the visitor's language, without technical details.

Wired in iness/urls.py (handler400/403/404/500), settings.CSRF_FAILURE_VIEW, the rate limit
(iness.abuse) and django-axes' lockout template. None of them reads the database, so the 500
page still shows when the database is what failed.
"""

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django_ratelimit.exceptions import Ratelimited

logger = logging.getLogger(__name__)

_PLAIN_FALLBACK = {
    400: "Bad request.",
    403: "Forbidden.",
    404: "Page not found.",
    429: "Too many requests. Please wait a few minutes and try again.",
    500: "Server error. Please try again in a few minutes.",
}


def _page(request, template_name: str, status: int, context: dict | None = None) -> HttpResponse:
    try:
        return render(request, template_name, context, status=status)
    except Exception:
        # An error page must never fail in turn: fall back to a plain sentence.
        logger.exception("Could not render %s", template_name)
        return HttpResponse(_PLAIN_FALLBACK[status], status=status, content_type="text/plain")


def bad_request(request, exception=None):
    return _page(request, "400.html", 400)


def permission_denied(request, exception=None):
    if isinstance(exception, Ratelimited):
        return too_many_requests(request)
    return _page(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _page(request, "404.html", 404)


def server_error(request):
    return _page(request, "500.html", 500)


def csrf_failure(request, reason=""):
    """The form's security token was missing or stale (old tab, cookies blocked)."""
    return _page(request, "403_csrf.html", 403)


def too_many_requests(request, exception=None, *, refusal=None):
    """`refusal` (iness.abuse.Refusal): when the client may post again, which the page says."""
    return _page(request, "429.html", 429, {"refusal": refusal})
