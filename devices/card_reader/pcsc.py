"""The PC/SC backend (pyscard over pcscd): readers, waiting for a card, transmitting APDUs.

A station holds one ``PcscContext``: established once, it lists the readers, waits for the
card and connects to it for every card the station handles, and is released on ``close``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from smartcard import scard

from issuance.ports.card_reader_errors import (
    CardRemoved,
    NoCardPresent,
    PcscUnavailable,
    ReaderNotFound,
)

# pcscd went away (or was restarted) under an established context: establish a new one.
_STALE_CONTEXT = {
    scard.SCARD_E_INVALID_HANDLE,
    scard.SCARD_E_NO_SERVICE,
    scard.SCARD_E_SERVICE_STOPPED,
}


def _error(hresult: int) -> str:
    return scard.SCardGetErrorMessage(hresult)


def _release(context: list[int | None]) -> None:
    if context[0] is not None:
        scard.SCardReleaseContext(context[0])
        context[0] = None


class PcscContext:
    """One PC/SC context, established on first use and kept until ``close``.

    Not for concurrent use: a station calls it from one worker thread at a time (a lock
    makes sure of it).
    """

    def __init__(self) -> None:
        self._context: list[int | None] = [None]
        self.lock = threading.RLock()
        # Released even if the owner forgets to close it.
        self._finalizer = weakref.finalize(self, _release, self._context)
        self.establishments = 0

    @property
    def handle(self) -> int:
        context = self._context[0]
        if context is None:
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hresult != scard.SCARD_S_SUCCESS:
                raise PcscUnavailable(_error(hresult))
            self._context[0] = context
            self.establishments += 1
        return context

    def _renew(self) -> None:
        _release(self._context)

    def close(self) -> None:
        with self.lock:
            _release(self._context)

    def list_readers(self) -> list[str]:
        with self.lock:
            for attempt in (0, 1):
                hresult, readers = scard.SCardListReaders(self.handle, [])
                if hresult in _STALE_CONTEXT and attempt == 0:
                    self._renew()
                    continue
                if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
                    return []
                if hresult != scard.SCARD_S_SUCCESS:
                    raise PcscUnavailable(_error(hresult))
                return list(readers)
            raise AssertionError("unreachable")

    def wait_for_state(self, reader: str, present: bool, timeout: float) -> bool:
        return self._wait(reader, present, timeout) is not None

    def _wait(self, reader: str, present: bool, timeout: float) -> bytes | None:
        """The card's ATR (b"" when absent) once the slot is as wanted; None on time-out."""
        with self.lock:
            deadline = time.monotonic() + timeout
            states = [(reader, scard.SCARD_STATE_UNAWARE)]
            renewed = False
            while True:
                remaining = max(0, int((deadline - time.monotonic()) * 1000))
                hresult, events = scard.SCardGetStatusChange(self.handle, remaining, states)
                if hresult in _STALE_CONTEXT and not renewed:
                    renewed = True
                    self._renew()
                    continue
                if hresult == scard.SCARD_E_TIMEOUT:
                    return None
                if hresult == scard.SCARD_E_UNKNOWN_READER:
                    raise ReaderNotFound(reader, self.list_readers())
                if hresult != scard.SCARD_S_SUCCESS:
                    raise PcscUnavailable(_error(hresult))
                _, state, atr = events[0]
                if state & scard.SCARD_STATE_UNKNOWN:
                    raise ReaderNotFound(reader, self.list_readers())
                if bool(state & scard.SCARD_STATE_PRESENT) == present:
                    return bytes(atr) if present else b""
                if remaining == 0:
                    return None
                states = [(reader, state & ~scard.SCARD_STATE_CHANGED)]

    def wait_for_card(self, reader: str, timeout: float) -> bytes:
        """Block until a card is in ``reader`` and return its ATR; NoCardPresent after
        ``timeout`` seconds, ReaderNotFound (naming the readers there are) for an unknown one."""
        atr = self._wait(reader, present=True, timeout=timeout)
        if atr is None:
            raise NoCardPresent(reader, timeout)
        return atr

    def connect(self, reader: str, atr: bytes | None = None) -> PcscTransport:
        return PcscTransport(self, reader, atr)

    @contextmanager
    def session(self, reader: str, timeout: float) -> Iterator[PcscTransport]:
        """Wait for a card in ``reader`` and hold a connection to it while the block runs."""
        with self.lock:
            atr = self.wait_for_card(reader, timeout)
            transport = self.connect(reader, atr)
            try:
                yield transport
            finally:
                transport.close()


@contextmanager
def _one_off() -> Iterator[PcscContext]:
    context = PcscContext()
    try:
        yield context
    finally:
        context.close()


def list_readers() -> list[str]:
    """The names of the readers pcscd serves now."""
    with _one_off() as context:
        return context.list_readers()


def card_present(reader: str) -> bool:
    with _one_off() as context:
        return context.wait_for_state(reader, present=True, timeout=0.0)


def wait_for_card(reader: str, timeout: float) -> None:
    """Block until a card is in ``reader``; NoCardPresent after ``timeout`` seconds."""
    with _one_off() as context:
        context.wait_for_card(reader, timeout)


def wait_for_removal(reader: str, timeout: float) -> bool:
    with _one_off() as context:
        return context.wait_for_state(reader, present=False, timeout=timeout)


class PcscTransport:
    """One connection to the card in a reader, on its station's context."""

    def __init__(self, context: PcscContext, reader: str, atr: bytes | None = None) -> None:
        self.apdu_count = 0
        self._handle: int | None = None
        hresult, handle, protocol = scard.SCardConnect(
            context.handle,
            reader,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise CardRemoved(f"cannot connect to the card: {_error(hresult)}")
        self._handle = handle
        self._protocol = protocol
        if not atr:  # the slot's state, read just before connecting, carries it already
            hresult, _, _, _, read = scard.SCardStatus(handle)
            if hresult != scard.SCARD_S_SUCCESS:
                self.close()
                raise CardRemoved(f"cannot read the card's status: {_error(hresult)}")
            atr = bytes(read)
        self.atr = atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.apdu_count += 1
        hresult, response = scard.SCardTransmit(self._handle, self._protocol, list(apdu))
        if hresult != scard.SCARD_S_SUCCESS or len(response) < 2:
            reason = _error(hresult) if hresult != scard.SCARD_S_SUCCESS else "short answer"
            raise CardRemoved(f"no answer to APDU {self.apdu_count} (INS {apdu[1]:02X}): {reason}")
        return bytes(response[:-2]), (response[-2] << 8) | response[-1]

    def close(self) -> None:
        if self._handle is not None:
            # A card already gone answers an error here; disconnecting is all that matters.
            scard.SCardDisconnect(self._handle, scard.SCARD_LEAVE_CARD)
            self._handle = None


@contextmanager
def pcsc_session(reader: str, timeout: float) -> Iterator[PcscTransport]:
    """A one-off connection on a context of its own (a station keeps one ``PcscContext``)."""
    with _one_off() as context, context.session(reader, timeout) as transport:
        yield transport


class PcscReader:
    """The ``CardConnector`` of one PC/SC reader: one context for every card it handles."""

    def __init__(self, reader: str, card_timeout: float) -> None:
        self.name = f"pcsc:{reader}"
        self.reader = reader
        self.card_timeout = card_timeout
        self.context = PcscContext()

    def session(self) -> AbstractContextManager[PcscTransport]:
        return self.context.session(self.reader, self.card_timeout)

    def close(self) -> None:
        self.context.close()
