"""The one status every device reports: connected, busy, or in error with a reason.

Each device protocol exposes it as ``status`` and reports changes to a callback; the desk's
status bar and the administrator's "test" buttons read it without knowing the device kind.
"""

from __future__ import annotations

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
