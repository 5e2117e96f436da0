from __future__ import annotations

import pytest

from devtools.standins import Sandbox, SandboxConfig
from tests.support.registers import registers_for


@pytest.fixture
def sandbox():
    """A fresh set of stand-ins per test: registers keep state (coupons, persons)."""
    sb = Sandbox(SandboxConfig()).start()
    yield sb
    sb.stop()


@pytest.fixture
def registers(sandbox):
    regs = registers_for(sandbox.urls())
    yield regs
    regs.close()
