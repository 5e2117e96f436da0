"""The one way the core, the desk and the command line obtain a device.

Each entry point builds one ``DeviceFactory`` (``devices.factory.Devices``) and hands it down;
nothing else opens a device. A device is named in the settings by a spec string whose scheme
picks the backend (``opencv:0``, ``sbi:127.0.0.1:4501``, ``cups:QUEUE``, ``pcsc:READER``);
development tools register more backends (a simulated scanner, an in-process chip) without the
product knowing them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from issuance.errors import IssuanceError
from issuance.ports.camera import Camera
from issuance.ports.card_printer import ID1_PAGE_SIZE, CardPrinter
from issuance.ports.card_reader import CardConnector
from issuance.ports.fingerprint import FingerprintScanner
from issuance.ports.status import DeviceStatusCallback

DEFAULT_CARD_TIMEOUT = 10.0


class DeviceKind(StrEnum):
    CAMERA = "camera"
    FINGERPRINT_SCANNER = "fingerprint_scanner"
    CARD_PRINTER = "card_printer"
    CARD_READER = "card_reader"


class DeviceFactory(Protocol):
    def check_spec(self, kind: DeviceKind, spec: str) -> None:
        """Raise the kind's own "invalid configuration" refusal unless a backend takes
        ``spec``; opens and contacts nothing."""
        ...

    def camera(self, spec: str, *, fps: float | None = None) -> Camera:
        """An opened camera; device trouble shows in its status, not as an exception."""
        ...

    def fingerprint_scanner(
        self, spec: str, on_status: DeviceStatusCallback | None = None
    ) -> FingerprintScanner: ...

    def card_printer(self, spec: str, *, page_size: str = ID1_PAGE_SIZE) -> CardPrinter:
        """A card printer (ID-1 page) or, with ``A4_PAGE_SIZE``, the receipt printer."""
        ...

    def card_reader(
        self, spec: str, *, card_timeout: float = DEFAULT_CARD_TIMEOUT
    ) -> CardConnector: ...

    def card_readers(self) -> list[str]:
        """The names of the readers connected now (PC/SC); [] when there is no reader
        service. Raises the card reader's refusal when the service cannot be asked."""
        ...


class NoDevices(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Ky program nuk punon me pajisje (kamerë, skaner, printer, lexues kartash).",
            "This program does not work with devices (camera, scanner, printer, card reader).",
        )


def require_devices(devices: DeviceFactory | None) -> DeviceFactory:
    """The factory a context was given; refused where the entry point gave none."""
    if devices is None:
        raise NoDevices()
    return devices
