"""Running the real PC/SC stack for tests, benchmarks and demos: pcscd with vpcd's readers.

Needs the Debian packages ``pcscd`` and ``vsmartcard-vpcd``. Only one pcscd can run on a
machine, so a running one that already serves the vpcd readers is reused.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from devices.card_reader.errors import PcscUnavailable
from devices.card_reader.pcsc import list_readers, wait_for_card, wait_for_removal
from devices.virtual_card.vpcd import VpcdCard

VPCD_READERS = {"Virtual PCD 00 00": 35963, "Virtual PCD 00 01": 35964}
VPCD_DRIVER = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
INSTALL_HINT = "apt-get install -y pcscd libpcsclite-dev vsmartcard-vpcd swig"
# After a card leaves, vpcd may not see a new one that connects within about a second.
SETTLE_SECONDS = 1.0


class PcscdNotReady(RuntimeError):
    pass


def _vpcd_readers_served() -> bool:
    try:
        return set(VPCD_READERS) <= set(list_readers())
    except PcscUnavailable:
        return False


@contextmanager
def running_pcscd(timeout: float = 10.0) -> Iterator[subprocess.Popen[bytes] | None]:
    """Start ``pcscd --foreground`` (or reuse a running one) until the vpcd readers show."""
    if _vpcd_readers_served():
        yield None
        return
    # pcscd lives in /usr/sbin, which is not on every PATH.
    binary = shutil.which("pcscd") or shutil.which("pcscd", path="/usr/sbin")
    if binary is None or not os.path.exists(VPCD_DRIVER):
        raise PcscdNotReady(f"pcscd and the vpcd driver are needed: {INSTALL_HINT}")
    # A file, not a pipe: nobody drains a pipe and a chatty pcscd would block on it.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([binary, "--foreground"], stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + timeout
        while not _vpcd_readers_served():
            if process.poll() is not None:
                log.seek(0)
                error = log.read().decode(errors="replace")
                raise PcscdNotReady(f"pcscd exited: {error.strip()[-300:]}")
            if time.monotonic() > deadline:
                raise PcscdNotReady("pcscd does not list the vpcd readers")
            time.sleep(0.02)
        yield process
    finally:
        _stop(process)
        log.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def inserted_card(card: VpcdCard, reader: str, timeout: float = 10.0) -> Iterator[VpcdCard]:
    """Put the virtual card in ``reader`` (it must listen on ``card.port``) until the block ends."""
    if VPCD_READERS.get(reader) != card.port:
        raise ValueError(f"{reader} is not served on port {card.port}")
    card.start()
    try:
        wait_for_card(reader, timeout)
        yield card
    finally:
        card.stop()
        wait_for_removal(reader, timeout)
