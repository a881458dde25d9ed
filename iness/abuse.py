"""Abuse limits for public forms: a rate limit per client address, and whom to believe.

Rate limits use django-ratelimit's counting (`is_ratelimited`): fixed windows per client
address, IPv6 grouped by /64, counters in the shared cache (`CACHES["default"]`: the database
by default, Redis when configured), so every app server counts the same posts.

How to apply it to a view (only POSTs count; GETs are never limited)::

    from iness.abuse import limit_mails_per_address, limit_public_posts

    @limit_public_posts("registrations.signup")            # PUBLIC_POST_RATE per client
    @limit_mails_per_address("registrations.signup.email") # optional: per email address too,
    def signup(request, ...):                              # so no one is sent a mail flood
        ...

The per-address limits count by the posted address's email key (iness.identity), so a
look-alike of an address shares its counter; erasing a person clears their counters
(`forget_address`).

On a class-based view: `@method_decorator(limit_public_posts("..."), name="dispatch")`.
Each form gets its own group name, so a busy sign-up form does not block the lost-link form.
A client over the limit gets the 429 page (templates/429.html) and the view does not run.
The honeypot for the form itself is `iness.forms.HoneypotMixin`.

`RATE_LIMITS=false` (setting `RATELIMIT_ENABLE`) turns every limit off, for load benchmarks.
"""

import ipaddress
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django_ratelimit.core import _get_window, _make_cache_key, _split_rate, is_ratelimited

from .errors import too_many_requests
from .identity import key_or_refused

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


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


Key = str | Callable[[str, HttpRequest], str]


def posted_email_key(group: str, request: HttpRequest) -> str:
    """Rate-limit key: the email key of the posted address, or the client's address when
    none is given (so that empty posts from everyone do not share one counter)."""
    posted = request.POST.get("email", "")
    if not posted.strip():
        return client_ip(request)
    return key_or_refused(posted)


# Each address gets at most this many emails an hour from one form, whoever posts: no form
# can be used to flood someone's inbox.
MAILS_PER_ADDRESS_RATE = "5/h"
# (group, rate) of every per-address limit, for `forget_address`.
_address_limits: set[tuple[str, str]] = set()


def limit_mails_per_address(group: str, *, rate: str = MAILS_PER_ADDRESS_RATE):
    """Decorate a view whose POST emails the posted address: past `rate` POSTs for one
    address (by its email key), answer 429."""
    _address_limits.add((group, rate))
    return limit_public_posts(group, rate=rate, key=posted_email_key)


def forget_address(key: str) -> None:
    """Delete the per-address rate-limit counters of an email key (erasure): counters are
    stored under a hash of the key, the group and the time window, so only the current
    window's (and, just after it turned, the previous one's) can exist."""
    cache = caches[settings.RATELIMIT_USE_CACHE]
    for group, rate in _address_limits:
        _count, period = _split_rate(rate)
        window = _get_window(key, period)
        for each in (window, window - period):
            cache.delete(_make_cache_key(group, each, rate, key, "POST"))


def limit_public_posts(group: str, *, rate: str | None = None, key: Key = "ip"):
    """Decorate a view: past `rate` POSTs per `key` (default: client address), answer 429.

    `rate` is "count/period" as django-ratelimit reads it ("20/10m", "5/h"); by default the
    PUBLIC_POST_RATE setting, read at each request. If the counter store itself fails (Redis
    down), the post goes through and a warning is logged: the site keeps taking sign-ups.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and _over_limit(request, group, rate, key):
                logger.info("Rate limit %s reached; answered 429", group)
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _over_limit(request: HttpRequest, group: str, rate: str | None, key: Key) -> bool:
    try:
        return is_ratelimited(
            request,
            group=group,
            key=key,
            rate=rate or settings.PUBLIC_POST_RATE,
            method="POST",
            increment=True,
        )
    except SuspiciousOperation:
        # A key read from the posted body found it too big or with too many fields: Django
        # answers 400, as it would without the limit. Not a failure of the counter store.
        raise
    except Exception:
        # Fail open on purpose: a broken counter store must not close the public forms.
        logger.warning("Rate limit store unavailable; %s let through", group, exc_info=True)
        return False
