from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from devices.fingerprint.sbi_client import SbiScanner
from devtools.sbi_simulator.server import SbiSimulator


@pytest.fixture
def simulator() -> Iterator[SbiSimulator]:
    sim = SbiSimulator(port=0, seed=1).start()
    yield sim
    sim.stop()


@pytest.fixture
def scanner(simulator: SbiSimulator) -> Iterator[SbiScanner]:
    client = SbiScanner(simulator.url, read_grace_s=2.0)
    yield client
    client.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
