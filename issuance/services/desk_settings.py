"""The administrator changes this desk's devices and register addresses from the desk.

Choices are kept in ``desk-settings.json`` in the data folder and read by ``load_settings``
under the environment: a value the environment sets (a deployment's decision) wins, and the
screen shows it as fixed. Every change is validated first, written atomically and audited.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from issuance.config import EDITABLE, read_choices, settings_file
from issuance.errors import IssuanceError
from issuance.ports.devices import DeviceFactory, DeviceKind, require_devices
from issuance.ports.private_files import open_private, private_folder
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize

if TYPE_CHECKING:
    from issuance.bootstrap import Context
    from issuance.config import Settings


class UnknownSetting(IssuanceError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Cilësimi «{name}» nuk ndryshohet nga tavolina.",
                         f"The setting '{name}' cannot be changed from the desk.")  # fmt: skip


class SettingFixedByEnvironment(IssuanceError):
    def __init__(self, name: str) -> None:
        variable = EDITABLE[name]
        super().__init__(
            f"«{name}» caktohet nga mjedisi ({variable}); ndryshojeni atje.",
            f"'{name}' is set by the environment ({variable}); change it there.",
        )


class InvalidServiceUrl(IssuanceError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"Adresa «{url}» nuk është e vlefshme (p.sh. https://fer.example.al:8443).",
            f"The address '{url}' is not valid (e.g. https://fer.example.al:8443).",
        )


def fixed_by_environment(environ: Mapping[str, str] | None = None) -> set[str]:
    env = os.environ if environ is None else environ
    return {name for name, variable in EDITABLE.items() if env.get(variable)}


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise InvalidServiceUrl(url)


def _checks(devices: DeviceFactory) -> dict[str, Callable[[str], None]]:
    # Each device backend parses its own configuration strings.
    def check(kind: DeviceKind) -> Callable[[str], None]:
        return partial(devices.check_spec, kind)

    camera, scanner = check(DeviceKind.CAMERA), check(DeviceKind.FINGERPRINT_SCANNER)
    reader, printer = check(DeviceKind.CARD_READER), check(DeviceKind.CARD_PRINTER)
    return {
        "camera": camera, "fingerprint_scanner": scanner, "card_reader": reader,
        "card_printer": printer, "receipt_printer": printer,
        "voucher_url": _check_url, "fer_url": _check_url,
        "civil_registry_url": _check_url, "notification_url": _check_url,
    }  # fmt: skip


def change(
    ctx: Context,
    actor: Actor,
    changes: Mapping[str, str],
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Validate, save and audit the changes; returns the settings the desk now runs with.

    Nothing is written unless every value is valid."""
    authorize(actor, UseCase.MANAGE_OFFICES)
    fixed = fixed_by_environment(environ)
    checks = _checks(require_devices(ctx.devices))
    cleaned = {name: value.strip() for name, value in changes.items()}
    for name, value in cleaned.items():
        if name not in EDITABLE:
            raise UnknownSetting(name)
        if name in fixed:
            raise SettingFixedByEnvironment(name)
        checks[name](value)
    current = ctx.settings
    # Only EDITABLE names, each a text field of Settings (mypy checks replace() against all).
    changed: dict[str, Any] = {n: v for n, v in cleaned.items() if getattr(current, n) != v}
    if not changed:
        return current
    choices = read_choices(current.data_dir) | changed
    path = settings_file(current.data_dir)
    private_folder(path.parent)  # the data folder: 0700
    temporary = path.with_suffix(".tmp")
    # 0600 like every file of the data folder; it becomes the settings file by renaming.
    with os.fdopen(open_private(temporary), "w", encoding="utf-8") as out:
        json.dump(choices, out, indent=2, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())  # on disk before it replaces the old file (power cuts)
    with ctx.uow() as uow:
        before = {n: getattr(current, n) for n in changed}
        audit.record(
            uow.session, actor, "desk.settings_changed", "desk_settings", path.name,
            {"before": before, "after": changed}, at=ctx.clock(),
        )  # fmt: skip
        # The new file takes the old one's place only after the audit event is accepted by the
        # database (flush), and in one rename: a refusal or a crash leaves the old file whole.
        uow.session.flush()
        os.replace(temporary, path)
        uow.commit()
    return dataclasses.replace(current, **changed)
