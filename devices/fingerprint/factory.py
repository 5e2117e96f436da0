"""Choose a fingerprint scanner from a configuration string.

- ``sbi:127.0.0.1:4501`` — the SBI service on that port;
- ``sbi:127.0.0.1:4501-4600`` (or plain ``sbi``) — discover the first finger device in the
  range, as MOSIP registration clients do;
- ``simulator`` or ``simulator:SEED`` — start an in-process SBI simulator on a free loopback
  port and talk to it over HTTP like any device (for the demo and tests); closing the
  scanner stops the simulator.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from devices.fingerprint.errors import InvalidScannerSpec, ScannerNotFound
from devices.fingerprint.protocol import FingerprintScanner
from devices.fingerprint.sbi_client import SbiScanner, discover
from devices.status import CONNECTED, DeviceStatusCallback

if TYPE_CHECKING:
    from devices.fingerprint.sbi_simulator import SbiSimulator

DEFAULT_RANGE = "127.0.0.1:4501-4600"
_SBI = re.compile(r"^sbi:(?P<host>[0-9.]+|localhost):(?P<low>\d{1,5})(?:-(?P<high>\d{1,5}))?$")
_SIM = re.compile(r"^simulator(?::(?P<seed>\d+))?$")


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


def check_spec(spec: str) -> None:
    """Raise ``InvalidScannerSpec`` unless ``spec`` names a scanner (contacts nothing)."""
    spec = spec.strip()
    if spec == "sbi" or _SIM.match(spec):
        return
    match = _SBI.match(spec)
    if not match:
        raise InvalidScannerSpec(spec)
    low, high = int(match.group("low")), int(match.group("high") or match.group("low"))
    if not (0 < low <= high < 65536):
        raise InvalidScannerSpec(spec)


def open_scanner(spec: str, on_status: DeviceStatusCallback | None = None) -> FingerprintScanner:
    """The scanner named by ``spec``; a range is discovered now (blocking, ~ms on loopback).

    ``on_status`` hears every change of the scanner's ``status`` (see ``SbiScanner``)."""
    spec = spec.strip()
    if spec == "sbi":
        spec = f"sbi:{DEFAULT_RANGE}"
    simulated = _SIM.match(spec)
    if simulated:
        # Imported here so that importing the package never loads the simulator.
        from devices.fingerprint.sbi_simulator import SbiSimulator

        seed = int(simulated.group("seed") or 1)
        return SimulatedScanner(SbiSimulator(port=0, seed=seed).start(), on_status)
    match = _SBI.match(spec)
    if not match:
        raise InvalidScannerSpec(spec)
    host, low = match.group("host"), int(match.group("low"))
    high = int(match.group("high") or low)
    if not (0 < low <= high < 65536):
        raise InvalidScannerSpec(spec)
    if high == low:
        return SbiScanner(f"http://{host}:{low}", on_status=on_status)
    devices = discover(host, range(low, high + 1))
    slaps = [d for d in devices if d.device_sub_type in ("Slap", "")] or devices
    if not slaps:
        raise ScannerNotFound(f"{host}:{low}-{high}")
    return SbiScanner(slaps[0].url, discovered=slaps[0], on_status=on_status)
