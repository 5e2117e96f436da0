"""The desk's files a backup carries beside the database: the installation key (without it no
sealed biometric, signature, scan or second-factor secret opens, and no audit MAC verifies),
the Document Signer key and certificates of ``keys/`` (never the offline CSCA's key), the audit
checkpoint and the administrator's desk settings.

Restoring never destroys a file: one that differs from the backup's is moved aside as
``NAME.before-restore-STAMP`` (the keys folder as a whole) and named in the outcome.
"""

from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path

from issuance.config import FILE_NAME as DESK_SETTINGS
from issuance.config import Settings
from issuance.ports.private_files import private_folder
from issuance.security.audit import CHECKPOINT_FILE
from issuance.security.keys import CSCA_CERTIFICATE, DS_CERTIFICATE, DS_KEY
from issuance.services.backup.errors import InstallationKeyDiffers

KEY = "data/biometric.key"
CHECKPOINT = f"data/{CHECKPOINT_FILE}"
SETTINGS = f"data/{DESK_SETTINGS}"
KEYS = "data/keys/"
_DESK_KEYS = (DS_KEY, DS_CERTIFICATE, CSCA_CERTIFICATE)


def collect(settings: Settings, installation_key: bytes, work: Path) -> dict[str, Path]:
    """Copies of the desk's files in ``work`` (read now: the audit checkpoint is taken before
    the database snapshot, so the snapshot holds the event it vouches for)."""
    members: dict[str, Path] = {}

    def copy(name: str, data: bytes) -> None:
        path = work / name.replace("/", "_")
        _write_new(path, data)
        members[name] = path

    copy(KEY, base64.b64encode(installation_key) + b"\n")
    for source, name in [
        (settings.data_dir / CHECKPOINT_FILE, CHECKPOINT),
        (settings.data_dir / DESK_SETTINGS, SETTINGS),
        *[(settings.keys_dir / key, KEYS + key) for key in _DESK_KEYS],
    ]:
        try:
            copy(name, source.read_bytes())
        except FileNotFoundError:
            continue
    return members


def check_key(settings: Settings, members: dict[str, Path]) -> None:
    """Refuse a configured installation key other than the backup's (nothing would open)."""
    if settings.biometric_key and _key_of(members) != _normalised(settings.biometric_key):
        raise InstallationKeyDiffers()


def install(settings: Settings, members: dict[str, Path], stamp: str) -> list[Path]:
    """Put the backup's files in place; the files moved aside, in the order they were."""
    moved: list[Path] = []
    private_folder(settings.data_dir)
    if not settings.biometric_key:
        _place(members[KEY], settings.key_file, stamp, moved)
    keys = {n.removeprefix(KEYS): p for n, p in members.items() if n.startswith(KEYS)}
    if keys or settings.keys_dir.exists():
        _install_keys(settings.keys_dir, keys, stamp, moved)
    if CHECKPOINT in members:
        _place(members[CHECKPOINT], settings.data_dir / CHECKPOINT_FILE, stamp, moved)
    else:
        _move_aside(settings.data_dir / CHECKPOINT_FILE, stamp, moved)
    desk_settings = settings.data_dir / DESK_SETTINGS
    if SETTINGS in members and not desk_settings.exists():  # this desk's own choices win
        _write_new(desk_settings, members[SETTINGS].read_bytes())
    return moved


def _install_keys(folder: Path, keys: dict[str, Path], stamp: str, moved: list[Path]) -> None:
    present = {p.name: p.read_bytes() for p in folder.glob("*") if p.is_file()}
    wanted = {name: path.read_bytes() for name, path in keys.items()}
    if present == wanted:
        return
    _move_aside(folder, stamp, moved)
    private_folder(folder)
    for name, data in wanted.items():
        _write_new(folder / name, data)


def _place(source: Path, target: Path, stamp: str, moved: list[Path]) -> None:
    data = source.read_bytes()
    if target.exists() and target.read_bytes() == data:
        return
    _move_aside(target, stamp, moved)
    _write_new(target, data)


def _move_aside(path: Path, stamp: str, moved: list[Path]) -> None:
    if path.exists():
        aside = path.with_name(f"{path.name}.before-restore-{stamp}")
        number = 1
        while aside.exists():  # an earlier restore's copy is kept too
            number += 1
            aside = path.with_name(f"{path.name}.before-restore-{stamp}-{number}")
        path.rename(aside)
        moved.append(aside)


def _write_new(path: Path, data: bytes) -> None:
    """``data`` under ``path`` (0600), complete and on disk before the name appears."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _key_of(members: dict[str, Path]) -> bytes:
    return _normalised(members[KEY].read_text())


def _normalised(text: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except ValueError:
        return b""
