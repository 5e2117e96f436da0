"""What a backup holds, before encryption: a tar stream whose first member is the manifest
(format, when, which database and schema revision, which offices, and a SHA-256 per member),
then the database snapshot and the data folder's files.

Unpacking takes only regular files under the names the manifest lists, writes them 0600 into a
private folder, and checks every checksum: nothing else of the stream reaches the disk.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from issuance.ports.private_files import open_private, private_folder
from issuance.services.backup.errors import BackupDamaged, BackupFromNewerProgram

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
_MAX_MANIFEST = 1 << 20


@dataclass(frozen=True)
class Manifest:
    backup_id: str
    created_at: str
    backend: str  # "sqlite" or "postgresql"
    schema_revision: str
    offices: list[str]
    audit_events: int
    # member name -> SHA-256 (hex) of its bytes
    files: dict[str, str] = field(default_factory=dict)
    format: int = MANIFEST_FORMAT


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def pack(out: IO[bytes], manifest: Manifest, members: dict[str, Path]) -> None:
    """Write the manifest, then each member (name -> file), as one tar stream."""
    with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        text = json.dumps(asdict(manifest), sort_keys=True, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(text), 0o600
        tar.addfile(info, io.BytesIO(text))
        for name, path in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = path.stat().st_size, 0o600
            with path.open("rb") as handle:
                tar.addfile(info, handle)


def unpack(source: IO[bytes], folder: Path) -> tuple[Manifest, dict[str, Path]]:
    """The manifest and its members, written into ``folder``; ``BackupDamaged`` for anything
    that is not exactly what the manifest lists."""
    private_folder(folder)
    try:
        with tarfile.open(fileobj=source, mode="r|") as tar:
            manifest: Manifest | None = None
            found: dict[str, Path] = {}
            for number, member in enumerate(tar):
                if number == 0:
                    manifest = _read_manifest(tar, member)
                    continue
                if manifest is None or not member.isfile() or member.name in found:
                    raise BackupDamaged()
                expected = manifest.files.get(member.name)
                if expected is None:
                    raise BackupDamaged()
                found[member.name] = _extract(tar, member, folder / f"member-{number}", expected)
        while source.read(1 << 16):  # to the end: the last chunk authenticated, nothing after
            pass
    except (tarfile.TarError, EOFError):
        raise BackupDamaged() from None
    if manifest is None or set(found) != set(manifest.files):
        raise BackupDamaged()
    return manifest, found


def _read_manifest(tar: tarfile.TarFile, member: tarfile.TarInfo) -> Manifest:
    handle = tar.extractfile(member)
    if member.name != MANIFEST or handle is None or member.size > _MAX_MANIFEST:
        raise BackupDamaged()
    try:
        raw = json.loads(handle.read())
        if raw.get("format", 0) > MANIFEST_FORMAT:
            raise BackupFromNewerProgram()
        manifest = Manifest(**raw)
        names_ok = all(_safe_name(name) for name in manifest.files)
    except (ValueError, TypeError, AttributeError):
        raise BackupDamaged() from None
    if not names_ok:
        raise BackupDamaged()
    return manifest


def _safe_name(name: object) -> bool:
    if not isinstance(name, str) or not name or name == MANIFEST:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path, expected: str) -> Path:
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupDamaged()
    digest = hashlib.sha256()
    with open(open_private(path), "wb", closefd=True) as out:
        while block := handle.read(1 << 20):
            digest.update(block)
            out.write(block)
    if digest.hexdigest() != expected:
        raise BackupDamaged()
    return path
