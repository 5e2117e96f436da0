"""What the core sees of a signature pad: pen events delivered to a listener, and the pad's
status. Coordinates in the pad's units with y growing downwards; ``t`` in seconds; pressure in
0..1 or None (a mouse)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from issuance.ports.status import DeviceStatus, DeviceStatusCallback

PenKind = Literal["down", "move", "up"]


@dataclass(frozen=True)
class PenEvent:
    kind: PenKind
    x: float
    y: float
    t: float
    pressure: float | None = None


PenListener = Callable[[PenEvent], None]


class SignaturePad(Protocol):
    """Delivers pen events to ``listener`` until ``stop``, never blocking the caller.

    ``status`` is CONNECTED when the pad can take a signature, BUSY while it is delivering
    events of its own (a replay), ERROR with the reason when it cannot (a recording that
    cannot be read). Opening never raises for device trouble: the status says it.
    ``on_status`` hears each change from the thread that made it.
    """

    @property
    def status(self) -> DeviceStatus: ...

    def start(
        self, listener: PenListener, on_status: DeviceStatusCallback | None = None
    ) -> None: ...

    def stop(self) -> None: ...
