from __future__ import annotations

import itertools

import httpx
import pytest

from devtools.standins import Sandbox, SandboxConfig
from devtools.standins.vouchers import Coupon
from issuance.delivery.clients import (
    CivilRegistryClient,
    FerClient,
    NotificationClient,
    ServiceConfig,
    VoucherClient,
)

API_KEY = "test-key-123"
_serial = itertools.count(1)


@pytest.fixture(scope="session")
def sandbox():
    sb = Sandbox(SandboxConfig(api_key=API_KEY)).start()
    yield sb
    sb.stop()


def config(sandbox: Sandbox, name: str, **overrides) -> ServiceConfig:
    settings = {"api_key": API_KEY, "connect_timeout": 1.0, "read_timeout": 3.0, **overrides}
    return ServiceConfig(sandbox.url(name), **settings)


@pytest.fixture
def vouchers(sandbox):
    with VoucherClient(config(sandbox, "voucher")) as client:
        yield client


@pytest.fixture
def fer(sandbox):
    with FerClient(config(sandbox, "fer")) as client:
        yield client


@pytest.fixture
def registry(sandbox):
    with CivilRegistryClient(config(sandbox, "civil-registry")) as client:
        yield client


@pytest.fixture
def notifier(sandbox):
    with NotificationClient(config(sandbox, "notification")) as client:
        yield client


@pytest.fixture
def new_coupon(sandbox):
    """Adds a coupon with a code no other test uses; returns its code."""

    def make(amount: int = 6000, paid: bool = True) -> str:
        code = f"TST{next(_serial):08d}"
        sandbox.vouchers.add(Coupon(code, amount, paid, "2024-05-02T09:30:00+02:00" if paid
                                    else None))
        return code

    return make


@pytest.fixture
def clean_faults(sandbox):
    """Resets every service's fault settings after the test, whatever happened."""
    yield
    for url in sandbox.urls().values():
        httpx.delete(f"{url}/_sandbox/faults", timeout=5)
