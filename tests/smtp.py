"""Real mail servers on 127.0.0.1 for the tests: aiosmtpd with chosen replies and delays, and
raw sockets for servers that never answer or drip their answer."""

import asyncio
import socket
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_smtp(settings, port: int, *, user: str = "", password: str = "") -> None:
    """The site sends to 127.0.0.1:`port` with its SMTP backend, as EMAIL_URL=smtp://... does."""
    settings.EMAIL_BACKEND = "iness.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = user, password
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


class SmtpServer:
    """aiosmtpd on a port of its own. Until `start()` nothing listens there.

    `refuse`: a temporary refusal (451) of every message; `replies`: an SMTP reply to give
    to a command instead of accepting it ({"RCPT": "550 5.1.1 No such user"}); `delay`:
    seconds to wait before accepting each message's data; `stall`: seconds to wait before
    every reply; `password_ok`: False refuses every login (535).
    """

    def __init__(self, port: int, *, password_ok: bool = True):
        self.port = port
        self.received: list = []
        self.refuse = False
        self.replies: dict[str, str] = {}
        self.delay = 0.0
        self.slow: dict[str, float] = {}  # seconds more before accepting mail to an address
        self.stall = 0.0
        self._lock = threading.Lock()
        self._controller = Controller(
            self,
            hostname="127.0.0.1",
            port=port,
            auth_require_tls=False,
            authenticator=lambda *args: AuthResult(success=password_ok, handled=False),
        )
        self._started = False

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        await asyncio.sleep(self.stall)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        await asyncio.sleep(self.stall)
        if "MAIL" in self.replies:
            return self.replies["MAIL"]
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await asyncio.sleep(self.stall)
        if "RCPT" in self.replies:
            return self.replies["RCPT"]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        extra = max((self.slow.get(a, 0.0) for a in envelope.rcpt_tos), default=0.0)
        await asyncio.sleep(self.stall + self.delay + extra)
        if "DATA" in self.replies:
            return self.replies["DATA"]
        if self.refuse:
            return "451 4.3.0 Try again later"
        with self._lock:
            self.received.append(envelope)
        return "250 OK"

    def start(self):
        self._controller.start()
        self._started = True

    def stop(self):
        if self._started:
            self._controller.stop()
            self._started = False


class RawServer:
    """A TCP server that accepts connections and then, for each, either says nothing at all
    (`drip=None`) or sends `drip` one byte every `every` seconds, for ever."""

    def __init__(self, port: int, *, drip: bytes | None = None, every: float = 0.5):
        self.port = port
        self.drip = drip
        self.every = every
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", port))
        self._sock.settimeout(0.2)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        clients = []
        while not self._stop.is_set():
            try:
                client, _addr = self._sock.accept()
                clients.append(client)
            except TimeoutError:
                pass
            if self.drip is not None:
                for client in clients:
                    try:
                        client.send(self.drip[:1])
                        self.drip = self.drip[1:] + self.drip[:1]
                    except OSError:
                        pass
                time.sleep(self.every)
        for client in clients:
            client.close()

    def stop(self):
        self._stop.set()
        self._thread.join()
        self._sock.close()
