"""Read-only queries and checks for the administrator's screen: offices with their desks, and
"is this device or service there?" checks that answer in words instead of raising.

The checks block (network, USB, PC/SC): call them from a worker thread.
"""

from __future__ import annotations

import queue
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from issuance.db.models import Desk, Office
from issuance.delivery.clients import ServiceConfig
from issuance.incidents import explain
from issuance.ports.camera import CameraState
from issuance.ports.devices import DeviceFactory
from issuance.queries import health
from issuance.queries.health import Health, Level
from issuance.security.permissions import Actor, UseCase, authorize

if TYPE_CHECKING:
    from issuance.bootstrap import Context

CAMERA_FRAME_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class DeskView:
    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class OfficeView:
    id: int
    code: str
    name: str
    city: str
    desks: tuple[DeskView, ...]


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    sq: str
    en: str

    def message(self, language: str) -> str:
        return self.sq if language == "sq" else self.en


def list_offices(ctx: Context, actor: Actor) -> list[OfficeView]:
    authorize(actor, UseCase.MANAGE_OFFICES)
    with ctx.read() as uow:
        offices = uow.session.execute(select(Office).order_by(Office.code)).scalars().all()
        desks = uow.session.execute(select(Desk).order_by(Desk.name)).scalars().all()
    by_office: dict[int, list[DeskView]] = {}
    for desk in desks:
        by_office.setdefault(desk.office_id, []).append(DeskView(desk.id, desk.name, desk.kind))
    return [
        OfficeView(o.id, o.code, o.name, o.city, tuple(by_office.get(o.id, ()))) for o in offices
    ]


def _ok(sq: str, en: str) -> CheckResult:
    return CheckResult(True, sq, en)


def _failed(error: Exception) -> CheckResult:
    refusal = explain(error, "device or service check")
    return CheckResult(False, refusal.sq, refusal.en)


def check_register(actor: Actor, config: ServiceConfig, name: str) -> CheckResult:
    """The register ``name``'s contract question at the address under test, with the client's
    own timeouts and key (``health.probe``); slow is still working."""
    authorize(actor, UseCase.MANAGE_OFFICES)
    found = health.probe(name, config.base_url, config.read_timeout, config.connect_timeout,
                         config.api_key)  # fmt: skip
    return CheckResult(found.level is not Level.DOWN, found.reason_sq, found.reason_en)


def _result(check: Health) -> CheckResult:
    return CheckResult(check.level is Level.OK, check.reason_sq, check.reason_en)


def check_fingerprint_scanner(devices: DeviceFactory, actor: Actor, spec: str) -> CheckResult:
    """Discover the scanner the spec names and ask it for its device info."""
    authorize(actor, UseCase.MANAGE_OFFICES)
    return _result(health.scanner_health(devices, spec))


def check_card_reader(devices: DeviceFactory, actor: Actor, spec: str) -> CheckResult:
    """Is the configured PC/SC reader among the readers pcscd serves now?"""
    authorize(actor, UseCase.MANAGE_OFFICES)
    return _result(health.reader_health(devices, spec))


def check_card_printer(devices: DeviceFactory, actor: Actor, spec: str) -> CheckResult:
    authorize(actor, UseCase.MANAGE_OFFICES)
    return _result(health.printer_health(devices, spec))


def check_camera(devices: DeviceFactory, actor: Actor, spec: str) -> CheckResult:
    """Open the camera and wait for one frame."""
    authorize(actor, UseCase.MANAGE_OFFICES)
    try:
        camera = devices.camera(spec)
    except Exception as exc:  # noqa: BLE001
        return _failed(exc)
    try:
        if camera.status.state is not CameraState.CONNECTED:
            return CheckResult(False, camera.status.reason_sq, camera.status.reason_en)
        frames: queue.Queue = queue.Queue(maxsize=1)
        camera.start(frames)
        try:
            frame = frames.get(timeout=CAMERA_FRAME_TIMEOUT_S)
        except queue.Empty:
            if camera.status.state is CameraState.ERROR:
                return CheckResult(False, camera.status.reason_sq, camera.status.reason_en)
            return CheckResult(
                False,
                f"asnjë pamje brenda {CAMERA_FRAME_TIMEOUT_S:.0f} s",
                f"no frame within {CAMERA_FRAME_TIMEOUT_S:.0f} s",
            )
        height, width = frame.image.shape[:2]
        return _ok(f"një pamje {width}×{height} u lexua", f"read one {width}×{height} frame")
    except Exception as exc:  # noqa: BLE001
        return _failed(exc)
    finally:
        camera.close()
