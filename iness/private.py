"""Pages reached through a private link (iness.links), for every kind of record that has one."""

from collections.abc import Callable
from functools import wraps

from django.db import models
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import erasure
from .forms import ConfirmForm
from .models import Person
from .privacy import PRIVACY_CONTACT_EMAIL


def private_page(find: Callable[[str], models.Model | None], *, invalid: str, name: str):
    """Decorate a view of a private link: `find(token)` gives the record, passed to the view
    as keyword `name` with `token`; an unknown or replaced link gets the `invalid` template
    (404) instead.

    The token never leaves for another site in a Referer, the page is never cached and never
    indexed. `same-origin` rather than `no-referrer`: under `no-referrer` browsers send
    `Origin: null` with the page's forms (confirm, language switch), which Django's CSRF check
    refuses.
    """

    def decorator(view):
        @wraps(view)
        @never_cache
        def wrapper(request, token, **kwargs):
            record = find(token)
            if record is None:
                response = render(request, invalid, status=404)
            else:
                response = view(request, **{name: record}, token=token, **kwargs)
            response["Referrer-Policy"] = "same-origin"
            response["X-Robots-Tag"] = "noindex"
            return response

        return wrapper

    return decorator


def delete_my_data(request, *, person: Person, back_url: str, done: str):
    """ "Delete my data", from any private link: GET says what will be erased (everything
    held about the person, not only the record of this link) and shows a button; POST (the
    button) erases it all (iness.erasure) and sends the browser to `done`, a page that needs
    no link, since every link stops working at once."""
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        erasure.erase_person(person)
        return redirect(done)
    return render(
        request,
        "privacy/delete_data.html",
        {
            "person": person,
            "records": erasure.describe(person),
            "back_url": back_url,
            "contact_email": PRIVACY_CONTACT_EMAIL,
        },
    )


def data_deleted(request):
    response = render(request, "privacy/data_deleted.html")
    response["X-Robots-Tag"] = "noindex"
    return response
