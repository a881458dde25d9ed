"""Abuse limits for public forms: limits that stop abuse, not people.

Two limits, each counting only what costs something:

- **Per client address** (`limit_public_posts`): accepted posts of one form from one client
  address (IPv4, IPv6 grouped by /64), `PUBLIC_POST_RATE` (120 an hour by default: a room of
  colleagues behind one university address gets through). A post is *accepted* when the view
  answers it with a redirect (POST/redirect/GET); a form shown again with its mistakes costs
  nothing, to the client or to anyone else. Counters live in the shared cache
  (`CACHES["default"]`: the database by default, Redis when configured), through
  django-ratelimit's counting, so every app server counts the same posts.
- **Per recipient** (`iness.mail.visitor_triggered`): at most `VISITOR_MAILS_PER_HOUR` mails
  an hour that visitors can make the site send to one person, whatever the form (sign-up,
  "also sign me up", proposal, lost link), counted on the mails actually queued. Past it the
  mail is dropped silently: the page answers the same, so nobody learns anything.

How to apply the first to a view (only POSTs count; GETs are never limited)::

    from iness.abuse import limit_public_posts, post_refused

    @limit_public_posts("registrations.signup", keeps_input=True)
    def signup(request, ...):
        ...
        if request.method == "POST" and form.is_valid() and not post_refused(request):
            ...  # act, then redirect

With `keeps_input=True` a client over the limit still gets the form back, with everything
typed and a message that says when to try again (status 429): the view must not act while
`post_refused(request)`. Without it (a confirmation button, nothing typed) the view does not
run and the 429 page says when to try again. On a class-based view:
`@method_decorator(limit_public_posts("..."), name="dispatch")`. Each form gets its own group
name, so a busy sign-up form does not block the lost-link form. The honeypot for the form
itself is `iness.forms.HoneypotMixin`.

`RATE_LIMITS=false` (setting `RATELIMIT_ENABLE`) turns every limit off, for load benchmarks.
"""

import datetime as dt
import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import get_usage

from .errors import too_many_requests

logger = logging.getLogger(__name__)

# Where no client address can be known (a unix socket without BEHIND_PROXY), everyone shares
# this one: the limits then apply to the whole site, which the warning below points out.
UNKNOWN_ADDRESS = "0.0.0.0"
_warned_unknown = False


def client_ip(request: HttpRequest) -> str:
    """The address of the client, for rate limits and admin login throttling.

    X-Forwarded-For is read only when BEHIND_PROXY says a proxy we run sits in front: each
    proxy appends the address it received the request from, so the PROXY_COUNT-th entry from
    the right is the one our outermost proxy saw; anything left of it came from the client
    and can be forged.
    """
    global _warned_unknown
    address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            candidate = forwarded[-min(settings.PROXY_COUNT, len(forwarded))]
            if _is_ip(candidate):
                address = candidate
    if not _is_ip(address):
        if not _warned_unknown:
            logger.warning(
                "No client address in the request (REMOTE_ADDR=%r): every client shares one "
                "rate limit. Behind a reverse proxy, set BEHIND_PROXY=true.",
                address,
            )
            _warned_unknown = True
        return UNKNOWN_ADDRESS
    return address


# One IPv6 customer gets a whole /64 (RFC 6177): counting its addresses one by one would give
# it 2**64 counters. django-ratelimit groups the public forms' counters the same way
# (RATELIMIT_IPV6_MASK, 64 by default).
IPV6_CLIENT_PREFIX = 64


def client_network(request: HttpRequest) -> str:
    """The client as the limits count it: its IPv4 address, or the first address of its
    IPv6 /64 (an address itself, so that django-axes stores it as one). For the admin
    login's throttling (AXES_CLIENT_IP_CALLABLE)."""
    address = ipaddress.ip_address(client_ip(request))
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.IPv6Network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False)
        return str(network.network_address)
    return str(address)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


# Per client address ---------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A post refused for the client's address: when the count starts again."""

    retry_at: dt.datetime

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.retry_at - timezone.now()).total_seconds()) + 1)


_REFUSAL_ATTRIBUTE = "iness_post_refused"


def post_refused(request: HttpRequest) -> Refusal | None:
    """In a view decorated with `limit_public_posts(..., keeps_input=True)`: the refusal when
    the client is over its limit (the view then shows the form again and does nothing)."""
    return getattr(request, _REFUSAL_ATTRIBUTE, None)


def limit_public_posts(
    group: str, *, rate: str | None = None, keeps_input: bool = False
) -> Callable:
    """Decorate a view: past `rate` accepted POSTs per client address, refuse with 429.

    `rate` is "count/period" as django-ratelimit reads it ("120/h"); by default the
    PUBLIC_POST_RATE setting, read at each request. Only answers that redirect count.
    `keeps_input`: the view shows its form again itself (see the module's docstring). If the
    counter store fails (Redis down), the post goes through and a warning is logged: the site
    keeps taking sign-ups.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            refusal = _refusal(request, group, rate)
            if refusal is None:
                response = view(request, *args, **kwargs)
                if 300 <= response.status_code < 400:
                    _count(request, group, rate)
                return response
            logger.info("Rate limit %s reached; answered 429", group)
            if not keeps_input:
                return _with_retry_after(too_many_requests(request, refusal=refusal), refusal)
            setattr(request, _REFUSAL_ATTRIBUTE, refusal)
            response = view(request, *args, **kwargs)
            if 300 <= response.status_code < 400:
                logger.error("View of %s acted on a refused post: it must read post_refused", group)
            elif response.status_code == 200:
                response.status_code = 429
                _with_retry_after(response, refusal)
            return response

        return wrapped

    return decorator


def _with_retry_after(response, refusal: Refusal):
    response["Retry-After"] = str(refusal.retry_after_seconds)
    return response


def _usage(request: HttpRequest, group: str, rate: str | None, *, increment: bool):
    try:
        return get_usage(
            request,
            group=group,
            key="ip",
            rate=rate or settings.PUBLIC_POST_RATE,
            method="POST",
            increment=increment,
        )
    except SuspiciousOperation:
        raise
    except Exception:
        # Fail open on purpose: a broken counter store must not close the public forms.
        logger.warning("Rate limit store unavailable; %s let through", group, exc_info=True)
        return None


def _refusal(request: HttpRequest, group: str, rate: str | None) -> Refusal | None:
    """A refusal when the client has used up its accepted posts in this window."""
    usage = _usage(request, group, rate, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return Refusal(retry_at=timezone.now() + dt.timedelta(seconds=max(usage["time_left"], 0)))


def _count(request: HttpRequest, group: str, rate: str | None) -> None:
    _usage(request, group, rate, increment=True)
