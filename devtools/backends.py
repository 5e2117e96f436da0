"""The development backends, registered with the product's ``Devices`` factory: the SBI
fingerprint simulator (``simulator`` or ``simulator:SEED``) and an in-process chip (``sim``).
The product never imports this module; the demo, the tests and the benches do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from devices.factory import Backend, Devices, product_devices
from devices.fingerprint.sbi_client import SbiScanner
from issuance.ports.card_reader import CardConnector
from issuance.ports.devices import DeviceKind
from issuance.ports.fingerprint import FingerprintScanner
from issuance.ports.fingerprint_errors import InvalidScannerSpec
from issuance.ports.status import CONNECTED, DeviceStatusCallback

if TYPE_CHECKING:
    from devtools.sbi_simulator.server import SbiSimulator


class SimulatedScanner(SbiScanner):
    """An ``SbiScanner`` that owns the simulator it talks to.

    Its status starts from the simulator's own state (it runs in this process, so no request
    is needed to know it); from then on the SBI answers keep it up to date as for any device.
    """

    def __init__(
        self, simulator: SbiSimulator, on_status: DeviceStatusCallback | None = None
    ) -> None:
        super().__init__(simulator.url, on_status=on_status)
        self.simulator = simulator
        if simulator.status() == "Ready":
            self._report(CONNECTED)

    def close(self) -> None:
        super().close()
        self.simulator.stop()


def _seed(rest: str) -> int:
    if rest and not rest.isdigit():
        raise InvalidScannerSpec(f"simulator:{rest}")
    return int(rest or 1)


def _simulated_scanner(rest: str, on_status: DeviceStatusCallback | None) -> FingerprintScanner:
    from devtools.sbi_simulator.server import SbiSimulator

    return SimulatedScanner(SbiSimulator(port=0, seed=_seed(rest)).start(), on_status)


def _simulated_reader(rest: str, card_timeout: float) -> CardConnector:
    from devtools.virtual_card.simulated import AppletReader

    return AppletReader()


def register(devices: Devices) -> Devices:
    devices.register(
        DeviceKind.FINGERPRINT_SCANNER,
        "simulator",
        Backend(_simulated_scanner, check=lambda rest: _seed(rest) and None),
    )
    devices.register(DeviceKind.CARD_READER, "sim", Backend(_simulated_reader))
    return devices


def development_devices() -> Devices:
    """The product's backends and the development ones."""
    return register(product_devices())
