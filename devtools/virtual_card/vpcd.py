"""The link between a virtual card and vsmartcard's vpcd reader driver in pcscd.

vpcd listens on TCP (35963 for ``Virtual PCD 00 00``); the card connects to it. Each message
is a 2-byte big-endian length and a payload: one byte is a control code, more is an APDU.
"""

from __future__ import annotations

import logging
import select
import socket
import threading

from devtools.virtual_card.applet import PassportApplet

DEFAULT_PORT = 35963
# ISO 14443-4 card without historical bytes, T=1 (PC/SC part 3): extended APDUs pass through.
DEFAULT_ATR = bytes.fromhex("3B80800101")
POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4
_POLL_SECONDS = 0.1

log = logging.getLogger(__name__)


class _Disconnected(Exception):
    pass


class VpcdCard:
    """Runs an applet behind vpcd, in a thread (``start``/``stop``) or in the foreground.

    ``disconnect_after_apdus`` pulls the card out after answering that many APDUs, to test a
    card removed mid-way; the card then stays out until restarted.
    """

    def __init__(
        self,
        applet: PassportApplet | None = None,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        disconnect_after_apdus: int | None = None,
        atr: bytes = DEFAULT_ATR,
    ) -> None:
        self.applet = applet or PassportApplet()
        self.host, self.port, self.atr = host, port, atr
        self.disconnect_after_apdus = disconnect_after_apdus
        self.apdu_count = 0
        self.connected = threading.Event()
        self.removed = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="virtual-card", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run(self) -> None:
        """Connect to vpcd (retrying while pcscd is not up) and serve until stopped."""
        while not self._stop.is_set() and not self.removed.is_set():
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
            except OSError:
                self._stop.wait(0.2)
                continue
            try:
                self._serve(sock)
            except (_Disconnected, OSError) as exc:
                log.info("virtual card link closed: %s", type(exc).__name__)
            finally:
                self.connected.clear()
                sock.close()

    def _serve(self, sock: socket.socket) -> None:
        # Without these, delayed ACKs cost ~40 ms per APDU.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        self.connected.set()
        while not self._stop.is_set():
            message = self._receive(sock)
            if message is None:
                continue
            if len(message) == 1:
                self._control(sock, message[0])
                continue
            response = self.applet.process(message)
            self.apdu_count += 1
            if self.disconnect_after_apdus is not None and (
                self.apdu_count >= self.disconnect_after_apdus
            ):
                self.removed.set()  # pulled out before the answer reaches the reader
                return
            self._send(sock, response)

    def _control(self, sock: socket.socket, code: int) -> None:
        if code == GET_ATR:
            self._send(sock, self.atr)
        elif code in (POWER_OFF, POWER_ON, RESET):
            self.applet.reset()

    def _receive(self, sock: socket.socket) -> bytes | None:
        """One message, or None when nothing arrived within the poll interval."""
        ready, _, _ = select.select([sock], [], [], _POLL_SECONDS)
        if not ready:
            return None
        length = int.from_bytes(self._exactly(sock, 2), "big")
        return self._exactly(sock, length)

    def _exactly(self, sock: socket.socket, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(size - len(data))
            if not chunk:
                raise _Disconnected()
            data += chunk
        return bytes(data)

    def _send(self, sock: socket.socket, payload: bytes) -> None:
        sock.sendall(len(payload).to_bytes(2, "big") + payload)
