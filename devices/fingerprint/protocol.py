"""The one interface the desk needs from a fingerprint scanner."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Protocol

from devices.fingerprint.model import CaptureRequest, CaptureResult, DeviceInfo

CaptureCallback = Callable[["Future[CaptureResult]"], None]


class FingerprintScanner(Protocol):
    """A scanner that captures one placement (a slap or a single finger) at a time.

    ``capture`` returns at once; the placement is captured on a worker thread and the future
    resolves to a ``CaptureResult`` or raises a ``ScannerError``. ``on_done`` (if given) is
    called with that future from the worker thread, so a GUI must hop back to its own thread.
    """

    def device_info(self) -> DeviceInfo: ...

    def capture(
        self, request: CaptureRequest, on_done: CaptureCallback | None = None
    ) -> Future[CaptureResult]: ...

    def close(self) -> None: ...
