""" "Lost your link?": one form for every kind of private link on the site.

Each app that hands out private links registers a sender in its `AppConfig.ready()`:

    links.register_sender(send_registration_links)

A sender receives an email address and the visitor's language and queues, through
`iness.mail`, a message with fresh links for whatever that address has; it does nothing
when the address has nothing.

The page only records the request (`request_links`): one row, whatever the address. The
mail worker answers it (`answer_requests`), so that neither the page's answer nor its time
tells anyone whether an address is known.
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError, transaction
from django.views.decorators.debug import sensitive_variables

from .models import LinkRequest

logger = logging.getLogger(__name__)

Sender = Callable[..., None]
_senders: list[Sender] = []


def register_sender(sender: Sender) -> None:
    if sender not in _senders:
        _senders.append(sender)


@sensitive_variables("email")
def send_lost_links(*, email: str, language: str) -> None:
    for sender in _senders:
        sender(email=email, language=language)


@sensitive_variables("email")
def request_links(*, email: str, language: str) -> None:
    """What the page does: record the request for the mail worker, the same for any address."""
    LinkRequest.objects.create(email=email, language=language)


def answer_requests(*, limit: int = 100) -> int:
    """What the mail worker does: queue the links each request's address has (if any), and
    forget the request. Returns how many were answered.

    Each request is deleted in the transaction that queues its mail: two workers cannot both
    answer it (only one DELETE finds the row), and a failure leaves it for the next pass.
    """
    answered = 0
    for pk in LinkRequest.objects.order_by("pk").values_list("pk", flat=True)[:limit]:
        try:
            with transaction.atomic():
                request = LinkRequest.objects.filter(pk=pk).first()
                if request is None or not LinkRequest.objects.filter(pk=pk).delete()[0]:
                    continue
                send_lost_links(email=request.email, language=request.language)
        except DatabaseError:
            raise  # the database: the request stays for the next pass
        except Exception:  # noqa: BLE001 - one broken answer must not stop the mail worker
            logger.exception("Link request %s could not be answered; it is dropped", pk)
            LinkRequest.objects.filter(pk=pk).delete()
            continue
        answered += 1
    return answered
