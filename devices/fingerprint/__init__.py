"""Fingerprint scanners: the ``FingerprintScanner`` protocol, the MOSIP SBI client and its
simulator. Pick one with ``open_scanner("sbi:127.0.0.1:4501-4600")``."""

from __future__ import annotations

from devices.fingerprint.factory import open_scanner
from issuance.ports.fingerprint import CaptureCallback, FingerprintScanner
from issuance.ports.fingerprint_errors import (
    CaptureFailed,
    CaptureTimedOut,
    InvalidScannerSpec,
    ScannerBusy,
    ScannerDisconnected,
    ScannerError,
    ScannerNotFound,
    ScannerNotReady,
    ScannerProtocolError,
)
from issuance.ports.fingerprint_model import (
    ALL_FINGERS,
    CaptureRequest,
    CaptureResult,
    DeviceInfo,
    Finger,
    FingerImage,
    Slap,
)

__all__ = [
    "ALL_FINGERS",
    "CaptureCallback",
    "CaptureFailed",
    "CaptureRequest",
    "CaptureResult",
    "CaptureTimedOut",
    "DeviceInfo",
    "Finger",
    "FingerImage",
    "FingerprintScanner",
    "InvalidScannerSpec",
    "ScannerBusy",
    "ScannerDisconnected",
    "ScannerError",
    "ScannerNotFound",
    "ScannerNotReady",
    "ScannerProtocolError",
    "Slap",
    "open_scanner",
]
