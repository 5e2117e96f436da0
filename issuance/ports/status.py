"""The one status every device reports: connected, busy, or in error with a reason.

Each device protocol exposes it as ``status`` and reports changes to a callback; the desk's
status bar and the administrator's "test" buttons read it without knowing the device kind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class DeviceState(StrEnum):
    CLOSED = "closed"
    CONNECTED = "connected"  # reachable and idle
    BUSY = "busy"  # streaming, capturing or replaying
    ERROR = "error"


@dataclass(frozen=True)
class DeviceStatus:
    state: DeviceState
    reason_sq: str = ""
    reason_en: str = ""

    def message(self, language: str = "sq") -> str:
        return self.reason_sq if language == "sq" else self.reason_en

    @classmethod
    def error(cls, reason_sq: str, reason_en: str) -> DeviceStatus:
        return cls(DeviceState.ERROR, reason_sq, reason_en)


DeviceStatusCallback = Callable[[DeviceStatus], None]

CONNECTED = DeviceStatus(DeviceState.CONNECTED)
BUSY = DeviceStatus(DeviceState.BUSY)
CLOSED = DeviceStatus(DeviceState.CLOSED)


class StatusKeeper:
    """A device's last known status, read from any thread, and the callback that hears each
    change (called outside the lock, from whichever thread learnt the news)."""

    def __init__(self, status: DeviceStatus, on_status: DeviceStatusCallback | None = None) -> None:
        self._status_lock = threading.Lock()
        self._status = status
        self._on_status = on_status

    @property
    def status(self) -> DeviceStatus:
        with self._status_lock:
            return self._status

    def _report(self, status: DeviceStatus) -> None:
        with self._status_lock:
            if status == self._status:
                return
            self._status = status
            callback = self._on_status
        if callback is not None:
            callback(status)
