"""Private links, once for every kind of record that has one.

A record with a private link (a sign-up, a proposal) inherits `PrivateLink`: it stores only the
SHA-256 of a random token (iness.tokens), so a leaked table gives no usable link, and a link
can be written into a mail only when its token is made. Hence:

- `mint(record)` gives the record a new token and returns it (not saved: for a new record);
- `rotate(record)` does the same and saves: every mail that carries a link calls it, and the
  links in earlier mails stop working;
- `find_by_token(queryset, token)` finds the record a link points to, with one length cap and
  a constant-time comparison;
- `kill(record)` makes every link to the record stop working (erasure).

Links are minted when the mail is sent, never before: a message that carries a link is
recorded with a placeholder (`carry(record, url=...)` gives the text and the hook's
arguments), and the mail worker's send hook (`LINK_HOOK`, `fill_links`) rotates the record's
token just before the message goes to the server and puts the link in the text it sends. What
the outbox stores never holds a live link; resending a message mints a fresh one.

"Lost your link?" is one form for every kind of private link. Each app that hands out private
links registers a sender in its `AppConfig.ready()`:

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

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.urls import reverse
from django.views.decorators.debug import sensitive_variables

from . import mail, tokens
from .models import LinkRequest

logger = logging.getLogger(__name__)

# Longer than any token we make (43 characters): anything longer is not a link of ours, and
# is refused before it is hashed.
MAX_TOKEN_LENGTH = 100


class PrivateLink(models.Model):
    """A private link to the record: only its token's hash is stored."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        abstract = True


@sensitive_variables("token")
def mint(record: PrivateLink) -> str:
    """Give `record` a new link (not saved) and return its token."""
    token, record.token_hash = tokens.new_token()
    return token


@sensitive_variables("token")
def rotate(record: PrivateLink) -> str:
    """Give `record` a new link, save it, and return its token; earlier links stop working."""
    token = mint(record)
    auto = [f.name for f in record._meta.concrete_fields if getattr(f, "auto_now", False)]
    record.save(update_fields=["token_hash", *auto])
    return token


def kill(record: PrivateLink) -> None:
    """Make every link to `record` stop working (not saved): a stored value that no token's
    hash can equal (hashes are 64 hexadecimal digits)."""
    record.token_hash = f"{_ERASED_PREFIX}{record._meta.model_name}-{record.pk}"


@sensitive_variables("token")
def find_by_token(queryset: models.QuerySet, token: str):
    """The record of `queryset` the link with `token` points to, or None for an unknown or
    replaced link."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    record = queryset.filter(token_hash=tokens.hash_token(token)).first()
    if record is None or not tokens.token_matches(token, record.token_hash):
        return None
    return record


# Links minted when the mail is sent ---------------------------------------------------------

# The send hook of a message whose only placeholders are links (iness.mail.register_hook).
LINK_HOOK = "iness.links"
_ERASED_PREFIX = "anonymised-"


def carry(record: PrivateLink, *, url: str, name: str = "link") -> tuple[str, dict]:
    """What a message carries instead of a live link to `record`: the placeholder to write in
    its text, and the link's description to put in `hook_args["links"]`. `url`: the name of
    the URL pattern, with a `token` argument, that the link opens."""
    spec = {"name": name, "model": record._meta.label_lower, "pk": record.pk, "url": url}
    return mail.placeholder(name), spec


def link_args(*specs: dict, **more) -> dict:
    """`hook_args` for a message carrying the links of `specs` (from `carry`)."""
    return {"links": list(specs), **more}


@sensitive_variables("token")
def fill_links(outgoing) -> dict[str, str]:
    """The `prepare` part of a send hook: a new token for each link the message carries
    (earlier links to the record stop working, as for every link mail), as full addresses.

    A record erased since (its links killed) gets no new link: the message then points to
    the "lost your link?" page, which finds nothing.
    """
    values = {}
    for spec in outgoing.hook_args.get("links", []):
        model = apps.get_model(spec["model"])
        record = model.objects.select_for_update().filter(pk=spec["pk"]).first()
        if record is None or record.token_hash.startswith(_ERASED_PREFIX):
            values[spec["name"]] = settings.SITE_URL + reverse("lost_link")
            continue
        token = rotate(record)
        values[spec["name"]] = settings.SITE_URL + reverse(spec["url"], kwargs={"token": token})
    return values


mail.register_hook(LINK_HOOK, mail.SendHook(prepare=fill_links))


# "Lost your link?" ---------------------------------------------------------------------------

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
                # Asked for on a public form: budgeted per person like the forms' mails.
                with mail.visitor_triggered():
                    send_lost_links(email=request.email, language=request.language)
        except DatabaseError:
            raise  # the database: the request stays for the next pass
        except Exception:  # noqa: BLE001 - one broken answer must not stop the mail worker
            logger.exception("Link request %s could not be answered; it is dropped", pk)
            LinkRequest.objects.filter(pk=pk).delete()
            continue
        answered += 1
    return answered
