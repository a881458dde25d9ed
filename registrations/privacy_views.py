""" "Delete my data" behind a sign-up's private link: what will be erased, then the erasure
of everything held about the person (iness.private.delete_my_data)."""

from django.urls import reverse
from django.views.decorators.http import require_http_methods

from iness.private import data_deleted, delete_my_data

from .views import private_page

__all__ = ["data_deleted", "delete_data"]


@require_http_methods(["GET", "POST"])
@private_page
def delete_data(request, *, registration, token):
    return delete_my_data(
        request,
        person=registration.person,
        back_url=reverse("registrations:manage", args=[token]),
        done="registrations:data_deleted",
    )
