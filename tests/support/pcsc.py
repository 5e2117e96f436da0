"""The real PC/SC stack for tests: pcscd with vsmartcard's vpcd readers and the project's
virtual card.

Several test folders use these fixtures, each importing them into its own conftest, which
makes pytest keep one fixture instance per folder. The machine has one pcscd and one TCP port
per vpcd reader, so the things behind the fixtures are shared and counted here: the first user
starts them, the last one stops them. A lock file per reader keeps two pytest processes on one
machine from putting two cards on the same port at once.
Needs: apt-get install -y pcscd libpcsclite-dev vsmartcard-vpcd swig (and pip install pyscard).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from devices.virtual_card import PassportApplet, VpcdCard
from devices.virtual_card.pcscd import (
    INSTALL_HINT,
    SETTLE_SECONDS,
    VPCD_READERS,
    PcscdNotReady,
    inserted_card,
    running_pcscd,
)

READER = "Virtual PCD 00 00"
SPARE_READER = "Virtual PCD 00 01"
LOCK_WAIT_SECONDS = 600.0


class Shared:
    """A resource entered once for however many fixture instances hold it."""

    def __init__(self, opener: Callable[[], AbstractContextManager[Any]]) -> None:
        self._opener = opener
        self._lock = threading.Lock()
        self._users = 0
        self._stack: ExitStack | None = None
        self._value: Any = None

    @contextmanager
    def hold(self) -> Iterator[Any]:
        with self._lock:
            if self._users == 0:
                stack = ExitStack()
                self._value = stack.enter_context(self._opener())
                self._stack = stack
            self._users += 1
        try:
            yield self._value
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._stack is not None:
                    stack, self._stack, self._value = self._stack, None, None
                    stack.close()


@contextmanager
def reader_lock(reader: str, timeout: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Exclusive use of a vpcd reader's port across processes (pytest runs side by side)."""
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"issuance-vpcd-{VPCD_READERS[reader]}.lock"
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{reader} stayed busy (another test run?)") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def card_in_reader(card: VpcdCard, reader: str) -> Iterator[VpcdCard]:
    """``card`` in ``reader`` (locked for this process) until the block ends; afterwards the
    slot is empty and settled so the next card is seen."""
    with reader_lock(reader):
        try:
            with inserted_card(card, reader):
                yield card
        finally:
            time.sleep(SETTLE_SECONDS)


@contextmanager
def _pcscd() -> Iterator[None]:
    try:
        with running_pcscd():
            yield
    except PcscdNotReady as exc:
        pytest.fail(f"{exc}\nInstall the PC/SC stack: {INSTALL_HINT}", pytrace=False)


_SHARED_PCSCD = Shared(_pcscd)


@contextmanager
def _session_card() -> Iterator[VpcdCard]:
    with _SHARED_PCSCD.hold(), reader_lock(READER):
        with inserted_card(VpcdCard(PassportApplet(), port=VPCD_READERS[READER]), READER) as card:
            yield card


_SHARED_CARD = Shared(_session_card)


@pytest.fixture(scope="session")
def pcscd() -> Iterator[None]:
    """The real pcscd serving vsmartcard's vpcd readers (started here or reused)."""
    with _SHARED_PCSCD.hold():
        yield


@pytest.fixture(scope="session")
def session_card(pcscd: None) -> Iterator[VpcdCard]:
    """One virtual card that stays in ``Virtual PCD 00 00`` for the whole session."""
    with _SHARED_CARD.hold() as card:
        yield card


@pytest.fixture
def blank_card(session_card: VpcdCard) -> VpcdCard:
    """The session card wiped back to blank, accepting extended APDUs."""
    session_card.applet.wipe()
    session_card.applet.extended_length = True
    session_card.applet.max_command_data = 65535
    return session_card
