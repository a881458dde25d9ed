"""The page a new address's confirmation link opens (iness.people): GET shows what would
change, POST (the button) changes it. Mail scanners open links, so the GET changes nothing."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods

from . import people
from .abuse import limit_public_posts
from .exceptions import Refused
from .forms import ConfirmForm


@sensitive_variables()
@never_cache
@limit_public_posts("address_change")
@require_http_methods(["GET", "POST"])
def address_change(request, token):
    context = {"done": False, "refusal": None, "change": None}
    status = 200
    try:
        if request.method == "POST" and ConfirmForm(request.POST).is_valid():
            context["change"] = people.confirm_address_change(token)
            context["done"] = True
        else:
            context["change"] = people.read_address_change(token)
    except Refused as refusal:
        context["refusal"] = refusal.message
        status = 404 if isinstance(refusal, people.AddressChangeRefused) else 409
    response = render(request, "iness/address_change.html", context, status=status)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
