"""Private-link tokens never reach the logs.

A private link is a URL such as /mon-inscription/<token>/ or /ma-proposition/<token>/,
the token being `secrets.token_urlsafe(32)` (43 URL-safe characters, iness.tokens). Anyone who
reads a log line with one could act for that person, so the filter below masks, in every
message and traceback it sees:
- the path segment after /mon-inscription/, /ma-proposition/, /intervention/ (a panellist's
  link) or /nouvelle-adresse/ (a signed address change) (whatever its length: a truncated
  token is still a secret);
- any path segment of 40 or more URL-safe characters (a token in some other URL);
- the value of a `token=` or `key=` query parameter.
"""

import logging
import re

MASK = "[redacted]"

# Each pattern keeps its first group and masks the second.
_PATTERNS = [
    re.compile(
        r"(/(?:mon-inscription|ma-proposition|intervention|nouvelle-adresse)/)([^/?#\s\"']+)"
    ),
    re.compile(r"(/)([A-Za-z0-9_-]{40,})(?=[/?#\s\"']|$)"),
    re.compile(r"([?&](?:token|key)=)([^&#\s\"']+)", re.IGNORECASE),
]


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + MASK, text)
    return text


class RedactPrivateLinks(logging.Filter):
    """Masks private-link tokens in a log record's message and traceback; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A malformed call; logging itself reports it when formatting.
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
