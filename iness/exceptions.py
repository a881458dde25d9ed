"""One family for every change the rules refuse.

A service that says no raises a subclass of `Refused`, whose `message` is written for the
person who asked (a visitor on a public page, or an organiser in the admin). Views and admin
actions catch `Refused` and show `message`; anything else that escapes a service is a bug and
gets the error page, never a message made from an exception's text.

Each app defines its own subclasses beside its services (sign-up closed, no seat available,
proposal no longer editable...), so callers can tell them apart when they must.
"""

from django.utils.translation import gettext_lazy as _


class Refused(Exception):
    """A change the rules refuse; `message` is what the person who asked reads."""

    message = _("This change is not possible.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))
