"""The PC/SC backend (pyscard over pcscd): readers, waiting for a card, transmitting APDUs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from smartcard import scard
from smartcard.Exceptions import CardConnectionException, NoCardException
from smartcard.pcsc.PCSCReader import PCSCReader

from devices.card_reader.errors import CardRemoved, NoCardPresent, PcscUnavailable, ReaderNotFound


def _context() -> int:
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise PcscUnavailable(scard.SCardGetErrorMessage(hresult))
    return context


def list_readers() -> list[str]:
    """The names of the readers pcscd serves now."""
    context = _context()
    try:
        hresult, readers = scard.SCardListReaders(context, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult != scard.SCARD_S_SUCCESS:
            raise PcscUnavailable(scard.SCardGetErrorMessage(hresult))
        return list(readers)
    finally:
        scard.SCardReleaseContext(context)


def card_present(reader: str) -> bool:
    return _wait_for_state(reader, present=True, timeout=0.0)


def wait_for_card(reader: str, timeout: float) -> None:
    """Block until a card is in ``reader``; NoCardPresent after ``timeout`` seconds."""
    if reader not in list_readers():
        raise ReaderNotFound(reader, list_readers())
    if not _wait_for_state(reader, present=True, timeout=timeout):
        raise NoCardPresent(reader, timeout)


def wait_for_removal(reader: str, timeout: float) -> bool:
    return _wait_for_state(reader, present=False, timeout=timeout)


def _wait_for_state(reader: str, present: bool, timeout: float) -> bool:
    context = _context()
    try:
        deadline = time.monotonic() + timeout
        states = [(reader, scard.SCARD_STATE_UNAWARE)]
        while True:
            remaining = max(0, int((deadline - time.monotonic()) * 1000))
            hresult, events = scard.SCardGetStatusChange(context, remaining, states)
            if hresult == scard.SCARD_E_TIMEOUT:
                return False
            if hresult != scard.SCARD_S_SUCCESS:
                raise PcscUnavailable(scard.SCardGetErrorMessage(hresult))
            _, state, _ = events[0]
            if bool(state & scard.SCARD_STATE_PRESENT) == present:
                return True
            if remaining == 0:
                return False
            states = [(reader, state & ~scard.SCARD_STATE_CHANGED)]
    finally:
        scard.SCardReleaseContext(context)


class PcscTransport:
    """One connection to the card in a reader."""

    def __init__(self, reader: str) -> None:
        self._connection = PCSCReader(reader).createConnection()
        self.apdu_count = 0
        try:
            self._connection.connect()
        except (NoCardException, CardConnectionException) as exc:
            self._connection.release()
            raise CardRemoved(f"cannot connect to the card: {exc}") from exc

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.apdu_count += 1
        try:
            data, sw1, sw2 = self._connection.transmit(list(apdu))
        except CardConnectionException as exc:
            raise CardRemoved(
                f"no answer to APDU {self.apdu_count} (INS {apdu[1]:02X}): {exc}"
            ) from exc
        return bytes(data), (sw1 << 8) | sw2

    def close(self) -> None:
        try:
            self._connection.disconnect()
        except CardConnectionException:
            pass  # the card is already gone; releasing the context is what matters
        finally:
            self._connection.release()


@contextmanager
def pcsc_session(reader: str, timeout: float) -> Iterator[PcscTransport]:
    """Wait for a card in ``reader`` and hold a connection to it while the block runs."""
    wait_for_card(reader, timeout)
    transport = PcscTransport(reader)
    try:
        yield transport
    finally:
        transport.close()
