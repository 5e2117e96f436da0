"""The one interface the desk needs from a fingerprint scanner."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Protocol

from issuance.ports.fingerprint_model import CaptureRequest, CaptureResult, DeviceInfo
from issuance.ports.status import DeviceStatus

CaptureCallback = Callable[["Future[CaptureResult]"], None]


class FingerprintScanner(Protocol):
    """A scanner that captures one placement (a slap or a single finger) at a time.

    ``capture`` returns at once; the placement is captured on a worker thread and the future
    resolves to a ``CaptureResult`` or raises a ``ScannerError``. ``on_done`` (if given) is
    called with that future from the worker thread, so a GUI must hop back to its own thread.

    ``status`` is what the scanner last learnt, without asking the device again: CONNECTED
    when it answered Ready, BUSY while a placement is being captured (by this desk or, as the
    device reports, another), ERROR with the reason when it is unreachable, not ready or
    speaks nonsense, CLOSED before the first contact and after ``close``. Reading it never
    blocks; ``device_info`` and ``capture`` keep it up to date.
    """

    @property
    def status(self) -> DeviceStatus: ...

    def device_info(self) -> DeviceInfo: ...

    def capture(
        self, request: CaptureRequest, on_done: CaptureCallback | None = None
    ) -> Future[CaptureResult]: ...

    def close(self) -> None: ...
