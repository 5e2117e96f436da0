"""The one interface the desk needs from a camera, and the data it hands out."""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from issuance.ports.status import DeviceState, DeviceStatus

if TYPE_CHECKING:
    import numpy as np  # the port names the frame's type; numpy loads with a camera

# The camera's status is the devices-wide one; the camera names stay for their callers.
CameraState = DeviceState
CameraStatus = DeviceStatus


@dataclass(frozen=True)
class Frame:
    """One BGR image from the camera; ``index`` counts frames since ``start``."""

    image: np.ndarray
    index: int
    timestamp: float  # time.monotonic() when it was read


FrameCallback = Callable[[Frame], None]
FrameSink = FrameCallback | queue.Queue
StatusCallback = Callable[[CameraStatus], None]


class Camera(Protocol):
    """A camera that streams frames from its own thread.

    ``open`` never raises for device trouble: it returns (and keeps in ``status``) an ERROR
    status with a reason. ``start`` delivers frames to a callback (called on the camera's
    thread, so a GUI must hop back to its own) or puts them in a queue, dropping the oldest
    when the queue is full so a slow consumer always sees the newest picture. A device that
    fails while streaming turns into an ERROR status, reported to ``on_status``.
    """

    @property
    def status(self) -> CameraStatus: ...

    def open(self) -> CameraStatus: ...

    def start(self, sink: FrameSink, on_status: StatusCallback | None = None) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...
