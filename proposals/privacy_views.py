""" "Delete my data" behind a proposal's private link: what will be erased, then the erasure
of everything held about the person (iness.private.delete_my_data)."""

from django.urls import reverse
from django.views.decorators.http import require_http_methods

from iness.private import data_deleted, delete_my_data

from .views import panellist_page, private_page

__all__ = ["data_deleted", "delete_data", "delete_panellist_data"]


@require_http_methods(["GET", "POST"])
@private_page
def delete_data(request, *, proposal, token):
    return delete_my_data(
        request,
        person=proposal.person,
        back_url=reverse("proposals:manage", args=[token]),
        done="proposals:data_deleted",
    )


@require_http_methods(["GET", "POST"])
@panellist_page
def delete_panellist_data(request, *, panellist, token):
    return delete_my_data(
        request,
        person=panellist.person,
        back_url=reverse("proposals:panellist", args=[token]),
        done="proposals:data_deleted",
    )
