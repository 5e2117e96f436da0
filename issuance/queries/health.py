"""Is each remote register reachable and how fast; is each device there and ready? For the desk's
status bar and the administrator's "test" buttons. Every check blocks: call from a worker."""

from __future__ import annotations

import glob
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import httpx

from issuance.config import Settings
from issuance.delivery.registers import Registers
from issuance.incidents import explain
from issuance.ports.devices import DeviceFactory, DeviceKind
from issuance.security.permissions import Role

SLOW_S = 2.0


class Level(StrEnum):
    OK = "ok"
    SLOW = "slow"
    DOWN = "down"


@dataclass(frozen=True)
class Health:
    name: str
    level: Level
    reason_sq: str
    reason_en: str

    def reason(self, language: str) -> str:
        return self.reason_sq if language == "sq" else self.reason_en


def register_urls(registers: Registers) -> dict[str, str]:
    return {
        "voucher": registers.vouchers.config.base_url,
        "fer": registers.fer.config.base_url,
        "civil-registry": registers.civil_registry.config.base_url,
        "notification": registers.notifications.config.base_url,
    }


# A harmless question from each register's contract: a live register answers it with the
# contract's JSON (a 404 "no such permit" included); a web server at a wrong address, a proxy's
# error page or a register in trouble does not.
REGISTER_PROBES = {
    "voucher": "/fees",
    "fer": "/permits/PROBE0000",
    "civil-registry": "/persons/J00101999W",
    "notification": "/messages/PROBE-0000",
}


def probe(name: str, url: str, timeout: float = 3.0, connect_timeout: float | None = None,
          api_key: str | None = None) -> Health:  # fmt: skip
    """Ask the register ``name`` its contract's question (``REGISTER_PROBES``) and judge the
    answer: the status bar's light and the administrator's Test button both say this."""
    started = time.perf_counter()
    headers = {"X-API-Key": api_key} if api_key else {}
    limits = httpx.Timeout(timeout, connect=connect_timeout or timeout)
    try:
        response = httpx.get(url.rstrip("/") + REGISTER_PROBES.get(name, "/"), timeout=limits,
                             headers=headers)  # fmt: skip
    except httpx.TimeoutException:
        return Health(name, Level.DOWN, f"nuk përgjigjet brenda {timeout:.0f} s",
                      f"no answer within {timeout:.0f} s")  # fmt: skip
    except httpx.HTTPError:
        return Health(name, Level.DOWN, "i paarritshëm: askush nuk përgjigjet",
                      "unreachable: nothing answers")  # fmt: skip
    refused = _refused(name, response)
    if refused is not None:
        return refused
    elapsed = time.perf_counter() - started
    if elapsed > SLOW_S:
        return Health(name, Level.SLOW, f"i ngadaltë ({elapsed:.1f} s)", f"slow ({elapsed:.1f} s)")
    return Health(name, Level.OK, f"në rregull ({elapsed * 1000:.0f} ms)",
                  f"reachable ({elapsed * 1000:.0f} ms)")  # fmt: skip


def _refused(name: str, response: httpx.Response) -> Health | None:
    """Why an answer is not the register's own (a refused key, a fault, a wrong server)."""
    status = response.status_code
    speaks_json = response.headers.get("content-type", "").startswith("application/json")
    if status in (401, 403):
        return Health(name, Level.DOWN, f"përgjigjet, por nuk e pranon çelësin e këtij desku "
                      f"(HTTP {status})", f"answers but refuses this desk's key "
                      f"(HTTP {status})")  # fmt: skip
    if status >= 500:
        return Health(name, Level.DOWN, f"përgjigjet me një defekt të vetin (HTTP {status}); "
                      "provoni më vonë", f"answers with a fault of its own (HTTP {status}); "
                      "try later")  # fmt: skip
    if status < 300 or (status == 404 and speaks_json):
        return None
    return Health(name, Level.DOWN, f"diçka përgjigjet, por nuk është regjistri (HTTP {status}): "
                  "kontrolloni adresën", f"something answers but it is not the register "
                  f"(HTTP {status}): check the address")  # fmt: skip


def check_registers(registers: Registers) -> list[Health]:
    keys = {
        "voucher": registers.vouchers.config.api_key,
        "fer": registers.fer.config.api_key,
        "civil-registry": registers.civil_registry.config.api_key,
        "notification": registers.notifications.config.api_key,
    }
    return [probe(name, url, api_key=keys[name]) for name, url in register_urls(registers).items()]


# Devices. The status bar polls these every few seconds while the devices are in use, so each
# probe only asks whether the device is there and ready; it never opens a camera stream or
# takes the card reader away from a card being encoded.

DEVICES_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.CLERK: ("camera", "fingerprint", "receipt-printer"),
    Role.CARD_OPERATOR: ("card-printer", "card-reader"),
    Role.ADMINISTRATOR: ("camera", "fingerprint", "receipt-printer", "card-printer", "card-reader"),
}


def device_specs(settings: Settings, role: Role) -> dict[str, str]:
    """The devices the role works with, by name, with their configuration strings."""
    specs = {
        "camera": settings.camera,
        "fingerprint": settings.fingerprint_scanner,
        "receipt-printer": settings.receipt_printer_spec,
        "card-printer": settings.card_printer_spec,
        "card-reader": settings.card_reader,
    }
    return {name: specs[name] for name in DEVICES_BY_ROLE.get(role, ())}


def _ok(name: str, sq: str, en: str) -> Health:
    return Health(name, Level.OK, sq, en)


def _down(name: str, error: Exception) -> Health:
    refusal = explain(error, f"{name} check")
    return Health(name, Level.DOWN, refusal.sq, refusal.en)


def camera_health(spec: str, name: str = "camera") -> Health:
    """Is the camera there? A V4L2 device node or the files of a file camera."""
    kind, _, rest = spec.partition(":")
    target = rest.rpartition("?")[0] if "?" in rest else rest
    if kind == "opencv" and target.isdigit():
        node = Path(f"/dev/video{target}")
        if node.exists():
            return _ok(name, f"kamera {node} është e lidhur", f"camera {node} is connected")
        return Health(name, Level.DOWN, f"kamera {node} nuk është e lidhur",
                      f"camera {node} is not connected")  # fmt: skip
    if kind == "file" and target:
        if glob.glob(re.sub(r"%0?\d*d", "*", target)):
            return _ok(name, "kamera nga skedarët (demo)", "camera from files (demo)")
        return Health(name, Level.DOWN, f"nuk ka pamje te {target}", f"no frames at {target}")
    return Health(name, Level.DOWN, f"konfigurim i pavlefshëm i kamerës: «{spec}»",
                  f"invalid camera configuration: '{spec}'")  # fmt: skip


def scanner_health(devices: DeviceFactory, spec: str, name: str = "fingerprint") -> Health:
    """Find the scanner the spec names and ask it for its device info (MOSIP SBI)."""
    try:
        scanner = devices.fingerprint_scanner(spec)
        try:
            info = scanner.device_info()
        finally:
            scanner.close()
    except Exception as exc:  # noqa: BLE001 - every failure is the answer of the check
        return _down(name, exc)
    level = Level.OK if info.status == "Ready" else Level.SLOW
    return Health(
        name,
        level,
        f"{info.make} {info.model} ({info.device_sub_type}), gjendja «{info.status}»",
        f"{info.make} {info.model} ({info.device_sub_type}), status '{info.status}'",
    )


def reader_health(devices: DeviceFactory, spec: str, name: str = "card-reader") -> Health:
    """Is the configured PC/SC reader among the readers pcscd serves now?"""
    try:
        devices.check_spec(DeviceKind.CARD_READER, spec)
    except Exception as exc:  # noqa: BLE001
        return _down(name, exc)
    kind, _, reader = spec.partition(":")
    if kind != "pcsc":
        return _ok(name, "kartë e simuluar (pa lexues)", "simulated card (no reader)")
    try:
        readers = devices.card_readers()
    except Exception as exc:  # noqa: BLE001
        return _down(name, exc)
    if reader in readers:
        return _ok(name, f"lexuesi «{reader}» u gjet", f"reader '{reader}' found")
    available = ", ".join(readers) or "—"
    return Health(
        name,
        Level.DOWN,
        f"lexuesi «{reader}» nuk u gjet (të disponueshëm: {available})",
        f"reader '{reader}' not found (available: {available})",
    )


def printer_health(devices: DeviceFactory, spec: str, name: str = "card-printer") -> Health:
    try:
        printer = devices.card_printer(spec)
        try:
            printer.check_ready()
        finally:
            printer.close()
    except Exception as exc:  # noqa: BLE001
        return _down(name, exc)
    return _ok(name, "printeri është gati", "the printer is ready")


PROBES: dict[str, Callable[[DeviceFactory, str], Health]] = {
    "camera": lambda devices, spec: camera_health(spec),
    "fingerprint": scanner_health,
    "receipt-printer": lambda devices, spec: printer_health(devices, spec, "receipt-printer"),
    "card-printer": printer_health,
    "card-reader": reader_health,
}


def check_devices(devices: DeviceFactory, settings: Settings, role: Role) -> list[Health]:
    specs = device_specs(settings, role)
    return [PROBES[name](devices, spec) for name, spec in specs.items()]
