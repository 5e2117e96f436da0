"""What a backup holds inside its encryption (issue 17, item 3): the manifest first, members
checked against it. A stream made by someone who had the passphrase but not this program (a
path out of the folder, a member the manifest does not list or lists differently, a link, a
missing member) is refused as damaged and writes nothing outside the unpacking folder."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import asdict
from pathlib import Path

import pytest

from issuance.services.backup import bundle
from issuance.services.backup.errors import BackupDamaged, BackupFromNewerProgram


def _manifest(files: dict[str, bytes], **overrides: object) -> dict:
    manifest = bundle.Manifest(
        backup_id="b" * 32, created_at="2026-12-05T06:00:00+00:00", backend="sqlite",
        schema_revision="0005", offices=["TR"], audit_events=3,
        files={name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    )  # fmt: skip
    return {**asdict(manifest), **overrides}


def _tar(manifest: dict, members: list[tuple[str, bytes]], link: str | None = None) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w|") as tar:
        for name, data in [(bundle.MANIFEST, json.dumps(manifest).encode()), *members]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo(link)
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
    return out.getvalue()


def test_a_bundle_round_trip(tmp_path: Path) -> None:
    sources = {"database/issuance.sqlite3": b"pages", "data/biometric.key": b"key\n"}
    paths = {}
    for name, data in sources.items():
        paths[name] = tmp_path / name.replace("/", "_")
        paths[name].write_bytes(data)
    manifest = bundle.Manifest(**_manifest(sources))
    out = io.BytesIO()
    bundle.pack(out, manifest, paths)
    out.seek(0)
    read, members = bundle.unpack(out, tmp_path / "unpacked")
    assert read == manifest
    assert {name: path.read_bytes() for name, path in members.items()} == sources
    assert all(path.stat().st_mode & 0o077 == 0 for path in members.values())


@pytest.mark.parametrize(
    "case",
    ["checksum", "unlisted", "missing", "escape", "link", "twice", "no-manifest", "not-json"],
)
def test_streams_not_made_by_this_program_are_damaged(case: str, tmp_path: Path) -> None:
    files = {"data/biometric.key": b"key\n"}
    manifest = _manifest(files)
    members = list(files.items())
    link = None
    if case == "checksum":
        members = [("data/biometric.key", b"another key\n")]
    elif case == "unlisted":
        members.append(("data/extra", b"x"))
    elif case == "missing":
        members = []
    elif case == "escape":
        manifest = _manifest({"../../outside": b"x"})
        members = [("../../outside", b"x")]
    elif case == "link":
        link = "data/biometric.key"
        members = []
    elif case == "twice":
        members = members * 2
    raw = _tar(manifest, members, link)
    if case == "no-manifest":
        raw = _tar(manifest, [])[512:]
    elif case == "not-json":
        raw = raw.replace(b'"backup_id"', b"'backup_id'")
    with pytest.raises(BackupDamaged):
        bundle.unpack(io.BytesIO(raw), tmp_path / "unpacked")
    assert not (tmp_path / "outside").exists()


def test_a_manifest_of_a_newer_format(tmp_path: Path) -> None:
    raw = _tar(_manifest({}, format=2), [])
    with pytest.raises(BackupFromNewerProgram):
        bundle.unpack(io.BytesIO(raw), tmp_path / "unpacked")
