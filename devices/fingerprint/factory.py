"""Choose a fingerprint scanner from a configuration string.

- ``sbi:127.0.0.1:4501`` — the SBI service on that port;
- ``sbi:127.0.0.1:4501-4600`` (or plain ``sbi``) — discover the first finger device in the
  range, as MOSIP registration clients do;

(The SBI simulator of the demo and the tests registers itself as ``simulator``: ``devtools``.)
"""

from __future__ import annotations

import re

from devices.fingerprint.sbi_client import SbiScanner, discover
from issuance.ports.fingerprint import FingerprintScanner
from issuance.ports.fingerprint_errors import InvalidScannerSpec, ScannerNotFound
from issuance.ports.status import DeviceStatusCallback

DEFAULT_RANGE = "127.0.0.1:4501-4600"
_SBI = re.compile(r"^sbi:(?P<host>[0-9.]+|localhost):(?P<low>\d{1,5})(?:-(?P<high>\d{1,5}))?$")


def check_spec(spec: str) -> None:
    """Raise ``InvalidScannerSpec`` unless ``spec`` names a scanner (contacts nothing)."""
    spec = spec.strip()
    if spec == "sbi":
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
