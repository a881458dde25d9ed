""" "Lost your link?": one form for every kind of private link on the site.

Each app that hands out private links registers a sender in its `AppConfig.ready()`:

    links.register_sender(send_registration_links)

A sender receives an email address and the visitor's language and queues, through
`iness.mail`, a message with fresh links for whatever that address has; it does nothing
when the address has nothing. The view answers the same whatever happened, so the form
tells no one whether an address is known.
"""

from collections.abc import Callable

from django.views.decorators.debug import sensitive_variables

Sender = Callable[..., None]
_senders: list[Sender] = []


def register_sender(sender: Sender) -> None:
    if sender not in _senders:
        _senders.append(sender)


@sensitive_variables("email")
def send_lost_links(*, email: str, language: str) -> None:
    for sender in _senders:
        sender(email=email, language=language)
