"""A pcscd of our own with vpcd's readers, for tests, benchmarks and the demo.

Only one pcscd can own the system socket (``/run/pcscd/pcscd.comm``), and whatever holds the
system's vpcd readers (another test run, a demo desk, a developer's session) would see our
card, or we theirs. So we never use the system's: pcscd 1.9.9 takes its socket by socket
activation (``systemd-socket-activate``) and reads its readers from a folder given with
``-c``, and the PC/SC client library connects wherever ``PCSCLITE_CSOCK_NAME`` points. Each
private pcscd gets its own socket in a folder of the caller's and its own pair of vpcd TCP
ports, so any number run side by side.

The client library reads ``PCSCLITE_CSOCK_NAME`` once, at a process's first PC/SC call:
``private_pcscd`` sets it for this process (and the children it starts) and refuses when the
process already talks to another pcscd.

Needs the Debian packages ``pcscd``, ``vsmartcard-vpcd`` and ``systemd`` (for
``systemd-socket-activate``).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devices.card_reader.pcsc import list_readers, wait_for_card, wait_for_removal
from devtools.virtual_card.vpcd import VpcdCard
from issuance.ports.card_reader_errors import PcscUnavailable

VPCD_DRIVER = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
INSTALL_HINT = "apt-get install -y pcscd libpcsclite-dev vsmartcard-vpcd swig systemd"
SOCKET_VARIABLE = "PCSCLITE_CSOCK_NAME"
# After a card leaves, vpcd may not see a new one that connects within about a second.
SETTLE_SECONDS = 1.0
# vpcd's readers listen on two consecutive ports; ours are drawn from this range (below the
# kernel's ephemeral ports, above the well-known ones and the system vpcd's 35963/35964).
_PORT_RANGE = (20000, 32000)


class PcscdNotReady(RuntimeError):
    pass


@dataclass(frozen=True)
class PcscStack:
    """A running private pcscd: its client socket and the vpcd port behind each reader."""

    socket: Path
    readers: dict[str, int]

    @property
    def reader(self) -> str:
        return next(iter(self.readers))

    @property
    def spare_reader(self) -> str:
        return list(self.readers)[1]

    def port(self, reader: str) -> int:
        return self.readers[reader]

    def environment(self) -> dict[str, str]:
        """What a child process needs to talk to this pcscd."""
        return {SOCKET_VARIABLE: str(self.socket)}


def _binary(name: str) -> str | None:
    # pcscd lives in /usr/sbin, which is not on every PATH.
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")


def _ports_free(*ports: int) -> bool:
    for port in ports:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("0.0.0.0", port))  # vpcd listens on every interface
            except OSError:
                return False
    return True


def free_port_pair(rng: random.Random | None = None) -> int:
    """The first of two consecutive free TCP ports."""
    rng = rng or random.SystemRandom()
    for _ in range(200):
        port = rng.randrange(*_PORT_RANGE)
        if _ports_free(port, port + 1):
            return port
    raise PcscdNotReady("no two consecutive free TCP ports for the vpcd readers")


def _write_reader_conf(folder: Path, name: str, port: int) -> Path:
    conf = folder / "readers"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "vpcd").write_text(
        f'FRIENDLYNAME "{name}"\nDEVICENAME /dev/null:0x{port:x}\n'
        f"LIBPATH {VPCD_DRIVER}\nCHANNELID 0x{port:x}\n"
    )
    return conf


@contextmanager
def private_pcscd(
    folder: Path, name: str = "Issuance PCD", timeout: float = 10.0
) -> Iterator[PcscStack]:
    """Start a pcscd serving two vpcd readers (``NAME 00 00`` and ``NAME 00 01``) on a socket
    in ``folder``; point this process at it; stop it when the block ends."""
    activate, pcscd = _binary("systemd-socket-activate"), _binary("pcscd")
    if activate is None or pcscd is None or not os.path.exists(VPCD_DRIVER):
        raise PcscdNotReady(f"pcscd, vpcd and systemd-socket-activate are needed: {INSTALL_HINT}")
    folder.mkdir(parents=True, exist_ok=True)
    sock = folder / "pcscd.comm"
    first = free_port_pair()
    conf = _write_reader_conf(folder, name, first)
    stack = PcscStack(sock, {f"{name} 00 00": first, f"{name} 00 01": first + 1})
    previous = os.environ.get(SOCKET_VARIABLE)
    os.environ[SOCKET_VARIABLE] = str(sock)
    # A file, not a pipe: nobody drains a pipe and a chatty pcscd would block on it.
    with open(folder / "pcscd.log", "wb") as log:
        process = subprocess.Popen(
            [activate, "-l", str(sock), pcscd, "--foreground", "-c", str(conf)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
    try:
        _wait_until_serving(process, stack, folder / "pcscd.log", timeout)
        yield stack
    finally:
        _stop(process)
        if previous is None:
            os.environ.pop(SOCKET_VARIABLE, None)
        else:
            os.environ[SOCKET_VARIABLE] = previous


def _wait_until_serving(
    process: subprocess.Popen[bytes], stack: PcscStack, log: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        if process.poll() is not None:
            error = log.read_text(errors="replace").strip()[-300:]
            raise PcscdNotReady(f"pcscd exited: {error}")
        if stack.socket.exists():
            try:
                seen = list_readers()
            except PcscUnavailable:
                seen = []
            if set(stack.readers) <= set(seen):
                return
            if seen:
                raise PcscdNotReady(
                    f"this process already talks to another pcscd (readers {seen}); "
                    f"{SOCKET_VARIABLE} must be set before its first PC/SC call"
                )
        if time.monotonic() > deadline:
            _stop(process)
            raise PcscdNotReady("pcscd does not list the vpcd readers")
        time.sleep(0.02)


def _stop(process: subprocess.Popen[bytes]) -> None:
    # systemd-socket-activate execs pcscd in its own process: the PID is pcscd's.
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def inserted_card(
    card: VpcdCard, stack: PcscStack, reader: str, timeout: float = 10.0
) -> Iterator[VpcdCard]:
    """Put the virtual card in ``reader`` of ``stack`` until the block ends; afterwards the
    slot is empty."""
    if stack.readers.get(reader) != card.port:
        raise ValueError(f"{reader} is not served on port {card.port}")
    card.start()
    try:
        wait_for_card(reader, timeout)
        yield card
    finally:
        card.stop()
        wait_for_removal(reader, timeout)
