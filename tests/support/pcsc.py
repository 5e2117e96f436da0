"""The real PC/SC stack for tests: a pcscd of this test process's own (private socket, its own
vpcd ports) with vsmartcard's vpcd readers and the project's virtual card.

Nothing here touches the machine's pcscd or its readers: a desk or another test run may use
those at the same time. ``claim_socket`` (called by the root conftest before any test) points
this process's PC/SC client at a socket in a private folder, so even a test without these
fixtures never reaches the system's pcscd; the ``pcscd`` fixture starts the server behind
that socket on first use. Under pytest-xdist every worker is its own process with its own
pcscd.

Several test folders import these fixtures into their own conftest, which makes pytest keep
one fixture instance per folder; the things behind them are shared and counted per process:
the first user starts them, the last one stops them.
Needs: apt-get install -y pcscd libpcsclite-dev vsmartcard-vpcd swig systemd (and pyscard).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from devtools.virtual_card import PassportApplet, VpcdCard
from devtools.virtual_card.pcscd import (
    INSTALL_HINT,
    SETTLE_SECONDS,
    SOCKET_VARIABLE,
    PcscdNotReady,
    PcscStack,
    inserted_card,
    private_pcscd,
)

READER_NAME = "Test PCD"
READER = f"{READER_NAME} 00 00"
SPARE_READER = f"{READER_NAME} 00 01"


def claim_socket() -> Path:
    """Point this process's PC/SC client at a private folder (before its first PC/SC call)."""
    folder = Path(tempfile.mkdtemp(prefix="issuance-pcsc-"))
    os.environ[SOCKET_VARIABLE] = str(folder / "pcscd.comm")
    return folder


def release_socket() -> None:
    claimed = os.environ.get(SOCKET_VARIABLE)
    if claimed and Path(claimed).parent.name.startswith("issuance-pcsc-"):
        shutil.rmtree(Path(claimed).parent, ignore_errors=True)


class Shared:
    """A resource entered once for however many fixture instances hold it."""

    def __init__(self, opener: Callable[[], AbstractContextManager[Any]]) -> None:
        self._opener = opener
        self._lock = threading.Lock()
        self._users = 0
        self._stack: ExitStack | None = None
        self.value: Any = None

    @contextmanager
    def hold(self) -> Iterator[Any]:
        with self._lock:
            if self._users == 0:
                stack = ExitStack()
                self.value = stack.enter_context(self._opener())
                self._stack = stack
            self._users += 1
        try:
            yield self.value
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._stack is not None:
                    stack, self._stack, self.value = self._stack, None, None
                    stack.close()


@contextmanager
def _pcscd() -> Iterator[PcscStack]:
    claimed = os.environ.get(SOCKET_VARIABLE)
    folder = Path(claimed).parent if claimed else claim_socket()
    try:
        with private_pcscd(folder, READER_NAME) as stack:
            yield stack
    except PcscdNotReady as exc:
        pytest.fail(f"{exc}\nInstall the PC/SC stack: {INSTALL_HINT}", pytrace=False)


_SHARED_PCSCD = Shared(_pcscd)


def port_of(reader: str) -> int:
    """The vpcd TCP port of ``reader`` in this process's pcscd (which must be running)."""
    stack: PcscStack | None = _SHARED_PCSCD.value
    assert stack is not None, "the pcscd fixture is not in use"
    return stack.port(reader)


@contextmanager
def card_in_reader(card: VpcdCard, reader: str) -> Iterator[VpcdCard]:
    """``card`` in ``reader`` until the block ends; afterwards the slot is empty and settled
    so the next card is seen."""
    try:
        with inserted_card(card, _SHARED_PCSCD.value, reader):
            yield card
    finally:
        time.sleep(SETTLE_SECONDS)


@contextmanager
def _session_card() -> Iterator[VpcdCard]:
    with _SHARED_PCSCD.hold() as stack:
        card = VpcdCard(PassportApplet(), port=stack.port(READER))
        with inserted_card(card, stack, READER):
            yield card


_SHARED_CARD = Shared(_session_card)


@pytest.fixture(scope="session")
def pcscd() -> Iterator[PcscStack]:
    """This process's own pcscd serving two vpcd readers, READER and SPARE_READER."""
    with _SHARED_PCSCD.hold() as stack:
        yield stack


@pytest.fixture(scope="session")
def session_card(pcscd: PcscStack) -> Iterator[VpcdCard]:
    """One virtual card that stays in READER for the whole session."""
    with _SHARED_CARD.hold() as card:
        yield card


@pytest.fixture
def blank_card(session_card: VpcdCard) -> VpcdCard:
    """The session card wiped back to blank, accepting extended APDUs."""
    session_card.applet.wipe()
    session_card.applet.extended_length = True
    session_card.applet.max_command_data = 65535
    return session_card
