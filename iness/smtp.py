"""Talking to the mail server: a connection the worker can cut, and what each reply means.

`EMAIL_TIMEOUT` bounds each read from the server, not a whole send: a server that drips one
byte every few seconds would hold a worker for ever. The worker therefore watches every send
from another thread and, past `MAIL_SEND_DEADLINE`, shuts the connection's socket down, which
ends the read in progress with an error. `EmailBackend` is Django's SMTP backend whose
connection can be cut that way from the moment it starts connecting (the greeting included);
the settings use it whenever `EMAIL_URL` is an SMTP address.

`verdict(exc)` reads an SMTP failure as RFC 5321 and RFC 3463 mean it:

- a 5xx refusal of the recipient (to RCPT, or after the data with a code that names the
  mailbox: 550, 551, 552, 553, or an enhanced status 5.1.x or 5.2.x) or of the message
  itself after its data: **permanent for that message**, never retried;
- a 4xx refusal of the recipient or of the data (mailbox busy, greylisting): that message
  is tried again later;
- everything else is **the server's problem**, not the message's: 421 (service closing),
  authentication refused (535, 530, 534), sender refused (MAIL FROM), TLS, connection refused,
  timeouts, a cut connection. The message stays queued and every worker pauses.
"""

import functools
import smtplib
import socket
import ssl
from dataclasses import dataclass

from django.core.mail.backends import smtp

# Verdict kinds.
PERMANENT = "permanent"  # this message will never be accepted
RETRY_MESSAGE = "retry_message"  # this message later; the server is fine
SERVER = "server"  # the server cannot take any message now

# Reasons for a server problem, which the admin explains to organisers in plain words.
UNREACHABLE = "unreachable"
AUTHENTICATION = "authentication"
SENDER_REFUSED = "sender_refused"
CLOSING = "closing"
TLS = "tls"
TOO_SLOW = "too_slow"
TIMEOUT = "timeout"
OTHER = "other"


@dataclass(frozen=True)
class Verdict:
    kind: str
    reason: str
    # The error's class and SMTP code only: the server's text may echo addresses.
    error: str


def _describe(exc: BaseException, code: int | str = "") -> str:
    return " ".join(str(part) for part in (type(exc).__name__, code) if part != "")


def _enhanced(text: bytes | str) -> str:
    """The enhanced status code (RFC 3463) at the start of a reply text, e.g. "5.1.1"."""
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    first = text.strip().split(" ", 1)[0] if text.strip() else ""
    parts = first.split(".")
    return first if len(parts) == 3 and all(p.isdigit() for p in parts) else ""


def _names_the_mailbox(code: int, text: bytes | str) -> bool:
    enhanced = _enhanced(text)
    return code in (550, 551, 552, 553) or enhanced[:4] in ("5.1.", "5.2.")


def verdict(exc: BaseException, *, cut: bool = False) -> Verdict:
    """What a failure to send one message means. `cut`: the worker cut the connection at
    the send deadline."""
    if cut:
        return Verdict(SERVER, TOO_SLOW, _describe(exc))
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # One recipient per message: its code decides.
        code, _text = next(iter(exc.recipients.values()), (0, b""))
        error = _describe(exc, code)
        if code == 421:
            return Verdict(SERVER, CLOSING, error)
        if 500 <= code < 600:
            return Verdict(PERMANENT, "", error)
        return Verdict(RETRY_MESSAGE, "", error)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        reason = CLOSING if exc.smtp_code == 421 else SENDER_REFUSED
        return Verdict(SERVER, reason, _describe(exc, exc.smtp_code))
    if isinstance(exc, smtplib.SMTPConnectError):
        reason = CLOSING if exc.smtp_code == 421 else UNREACHABLE
        return Verdict(SERVER, reason, _describe(exc, exc.smtp_code))
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Verdict(SERVER, AUTHENTICATION, _describe(exc, exc.smtp_code))
    if isinstance(exc, smtplib.SMTPDataError):
        error = _describe(exc, exc.smtp_code)
        if exc.smtp_code == 421:
            return Verdict(SERVER, CLOSING, error)
        if 500 <= exc.smtp_code < 600:
            # Refused after reading it: this message (or this mailbox), not the server.
            return Verdict(PERMANENT, "", error)
        return Verdict(RETRY_MESSAGE, "", error)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        reason = CLOSING if code == 421 else AUTHENTICATION if code in (530, 534, 535) else OTHER
        return Verdict(SERVER, reason, _describe(exc, code))
    if isinstance(exc, smtplib.SMTPNotSupportedError | ssl.SSLError):
        return Verdict(SERVER, TLS, _describe(exc))
    # smtplib reports a read that timed out as a lost connection, raised while handling it.
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return Verdict(SERVER, TIMEOUT, _describe(exc))
    if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
        return Verdict(SERVER, UNREACHABLE, _describe(exc))
    if isinstance(exc, smtplib.SMTPException):
        return Verdict(SERVER, OTHER, _describe(exc))
    # Not the server's doing (the message could not even be written out): this message.
    return Verdict(PERMANENT, "", _describe(exc))


class _Tracked:
    """An smtplib connection that tells its backend about itself before it connects."""

    def __init__(self, *args, on_connect, **kwargs):
        self._on_connect = on_connect
        super().__init__(*args, **kwargs)

    def connect(self, *args, **kwargs):
        self._on_connect(self)
        return super().connect(*args, **kwargs)


class _SMTP(_Tracked, smtplib.SMTP):
    pass


class _SMTP_SSL(_Tracked, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend, whose connection another thread can cut (`cut()`)."""

    _current = None

    @property
    def connection_class(self):
        tracked = _SMTP_SSL if self.use_ssl else _SMTP
        return functools.partial(tracked, on_connect=self._track)

    def _track(self, connection) -> None:
        self._current = connection

    def cut(self) -> bool:
        """Shut the socket down under any read or write in progress; True if there was one.

        The base class's shutdown: on a TLS socket, the TLS layer's own would also touch
        state the sending thread is using.
        """
        sock = getattr(self._current, "sock", None)
        if sock is None:
            return False
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            return False
        return True
