"""Fingerprint scanners: the ``FingerprintScanner`` protocol, the MOSIP SBI client and its
simulator. Pick one with ``open_scanner("sbi:127.0.0.1:4501-4600")``."""

from __future__ import annotations

from devices.fingerprint.factory import open_scanner

__all__ = [
    "open_scanner",
]
