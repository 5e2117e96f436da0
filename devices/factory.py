"""``Devices``: the ``DeviceFactory`` every entry point builds, one backend per spec scheme.

The product registers its real backends (OpenCV and file cameras, the MOSIP SBI client, CUPS
and folder printers, PC/SC readers); development tools add theirs with ``register`` (a
simulated scanner, an in-process chip), so the product never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from issuance.errors import IssuanceError
from issuance.ports.camera import Camera
from issuance.ports.camera_errors import CameraSpecInvalid
from issuance.ports.card_printer import ID1_PAGE_SIZE, CardPrinter
from issuance.ports.card_printer_errors import UnknownPrinterConfig
from issuance.ports.card_reader import CardConnector
from issuance.ports.card_reader_errors import CardReaderConfigInvalid
from issuance.ports.devices import DEFAULT_CARD_TIMEOUT, DeviceKind
from issuance.ports.fingerprint import FingerprintScanner
from issuance.ports.fingerprint_errors import InvalidScannerSpec
from issuance.ports.status import DeviceStatusCallback

_INVALID: dict[DeviceKind, Callable[[str], IssuanceError]] = {
    DeviceKind.CAMERA: CameraSpecInvalid,
    DeviceKind.FINGERPRINT_SCANNER: InvalidScannerSpec,
    DeviceKind.CARD_PRINTER: UnknownPrinterConfig,
    DeviceKind.CARD_READER: CardReaderConfigInvalid,
}


@dataclass(frozen=True)
class Backend:
    """Opens a device from the spec's text after the scheme (``0`` in ``opencv:0``);
    ``check`` refuses a malformed text without opening anything (what it returns is ignored)."""

    open: Callable[..., Any]
    check: Callable[[str], object] | None = None


class Devices:
    def __init__(self) -> None:
        self._backends: dict[tuple[DeviceKind, str], Backend] = {}

    def register(self, kind: DeviceKind, scheme: str, backend: Backend) -> None:
        self._backends[(kind, scheme)] = backend

    def schemes(self, kind: DeviceKind) -> list[str]:
        return sorted(scheme for k, scheme in self._backends if k == kind)

    def _backend(self, kind: DeviceKind, spec: str) -> tuple[Backend, str]:
        scheme, _, rest = (spec or "").strip().partition(":")
        backend = self._backends.get((kind, scheme))
        if backend is None:
            raise _INVALID[kind](spec)
        return backend, rest

    def check_spec(self, kind: DeviceKind, spec: str) -> None:
        backend, rest = self._backend(kind, spec)
        if backend.check is not None:
            backend.check(rest)

    def camera(self, spec: str, *, fps: float | None = None) -> Camera:
        backend, rest = self._backend(DeviceKind.CAMERA, spec)
        return backend.open(rest, fps=fps)

    def fingerprint_scanner(
        self, spec: str, on_status: DeviceStatusCallback | None = None
    ) -> FingerprintScanner:
        backend, rest = self._backend(DeviceKind.FINGERPRINT_SCANNER, spec)
        return backend.open(rest, on_status=on_status)

    def card_printer(self, spec: str, *, page_size: str = ID1_PAGE_SIZE) -> CardPrinter:
        backend, rest = self._backend(DeviceKind.CARD_PRINTER, spec)
        return backend.open(rest, page_size=page_size)

    def card_reader(
        self, spec: str, *, card_timeout: float = DEFAULT_CARD_TIMEOUT
    ) -> CardConnector:
        backend, rest = self._backend(DeviceKind.CARD_READER, spec)
        return backend.open(rest, card_timeout=card_timeout)

    def card_readers(self) -> list[str]:
        from devices.card_reader.pcsc import list_readers  # pyscard only when asked

        return list_readers()


def product_devices() -> Devices:
    """The factory with every backend the product ships."""
    devices = Devices()
    _cameras(devices)
    _scanners(devices)
    _printers(devices)
    _readers(devices)
    return devices


# Backends import their libraries (OpenCV, httpx, pycups, pyscard) only when a device is
# checked or opened: building the factory is part of every command's and the desk's start.


def _cameras(devices: Devices) -> None:
    def open_camera(spec: str, fps: float | None) -> Camera:
        from devices.camera import factory

        return factory.open_camera(spec, fps=fps)

    def check(spec: str) -> None:
        from devices.camera import factory

        factory.check_spec(spec)

    def backend(scheme: str) -> Backend:
        return Backend(
            open=lambda rest, fps: open_camera(f"{scheme}:{rest}", fps),
            check=lambda rest: check(f"{scheme}:{rest}"),
        )

    for scheme in ("opencv", "file"):
        devices.register(DeviceKind.CAMERA, scheme, backend(scheme))


def _scanners(devices: Devices) -> None:
    def open_scanner(rest: str, on_status: DeviceStatusCallback | None) -> FingerprintScanner:
        from devices.fingerprint import factory

        return factory.open_scanner(_sbi(rest), on_status)

    def check(rest: str) -> None:
        from devices.fingerprint import factory

        factory.check_spec(_sbi(rest))

    devices.register(
        DeviceKind.FINGERPRINT_SCANNER, "sbi", Backend(open=open_scanner, check=check)
    )


def _sbi(rest: str) -> str:
    return f"sbi:{rest}" if rest else "sbi"


def _printers(devices: Devices) -> None:
    def cups(target: str, page_size: str) -> CardPrinter:
        from devices.card_printer.cups_printer import CupsCardPrinter  # pycups only when used

        return CupsCardPrinter(_target("cups", target), page_size=page_size)

    def folder(target: str, page_size: str) -> CardPrinter:
        from devices.card_printer.folder_printer import FolderCardPrinter

        return FolderCardPrinter(_target("folder", target))

    def check(scheme: str) -> Callable[[str], object]:
        return lambda rest: _target(scheme, rest)

    for scheme, opener in (("cups", cups), ("folder", folder)):
        devices.register(DeviceKind.CARD_PRINTER, scheme, Backend(opener, check=check(scheme)))


def _target(scheme: str, rest: str) -> str:
    if not rest.strip():
        raise UnknownPrinterConfig(f"{scheme}:{rest}")
    return rest.strip()


def _readers(devices: Devices) -> None:
    def pcsc(reader: str, card_timeout: float) -> CardConnector:
        from devices.card_reader.pcsc import PcscReader  # pyscard only when PC/SC is used

        return PcscReader(_reader(reader), card_timeout)

    devices.register(DeviceKind.CARD_READER, "pcsc", Backend(pcsc, check=_reader))


def _reader(rest: str) -> str:
    if not rest.strip():
        raise CardReaderConfigInvalid(f"pcsc:{rest}")
    return rest
