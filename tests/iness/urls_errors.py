"""The site's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from iness.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def forbidden(request):
    raise PermissionDenied("internal reason the visitor must not read")


def broken(request):
    raise RuntimeError("SECRET-DETAIL in a traceback")


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    *urlpatterns,
]
