"""``back_up``: one encrypted file holding the database (with its sealed biometrics), the
installation key, the desk's signing keys, its audit checkpoint and settings.

The desk's checkpoint is copied before the database, so the snapshot holds every event the
checkpoint vouches for; the backup is recorded in the audit trail once its file exists. The
file appears under its name only once it is complete and on disk, and an existing file is
never overwritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from issuance.ports.private_files import open_private, private_folder
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize
from issuance.security.sealing import load_key
from issuance.services.backup import bundle, data_folder, database
from issuance.services.backup.archive import SealedWriter
from issuance.services.backup.errors import BackupFileExists, WeakPassphrase

if TYPE_CHECKING:
    from issuance.bootstrap import Context

MIN_PASSPHRASE = 12


@dataclass(frozen=True)
class BackupMade:
    path: Path
    backup_id: str
    bytes: int
    schema_revision: str
    offices: list[str]
    audit_events: int


def back_up(ctx: Context, actor: Actor, path: Path, passphrase: str) -> BackupMade:
    authorize(actor, UseCase.BACK_UP)
    if len(passphrase) < MIN_PASSPHRASE:
        raise WeakPassphrase(MIN_PASSPHRASE)
    if path.exists() or path.is_symlink():
        raise BackupFileExists(path)
    backup_id = uuid.uuid4().hex
    kind = database.backend(ctx.engine)
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=private_folder(ctx.settings.data_dir)))
    try:
        members = data_folder.collect(ctx.settings, load_key(ctx.settings), work)
        snapshot = work / "snapshot"
        facts = database.snapshot(ctx.engine, snapshot)
        members[database.SNAPSHOT_NAMES[kind]] = snapshot
        manifest = bundle.Manifest(
            backup_id=backup_id, created_at=ctx.clock().isoformat(), backend=kind,
            schema_revision=facts.schema_revision, offices=facts.offices,
            audit_events=facts.audit_events,
            files={name: bundle.sha256_of(member) for name, member in members.items()},
        )  # fmt: skip
        size = _write(path, passphrase, manifest, members)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # Recorded once the file exists (a backup that failed made nothing); no file name, which
    # an administrator may have chosen with a person's name in it.
    details = {"database": kind, "schema_revision": facts.schema_revision, "bytes": size,
               "audit_events": facts.audit_events}  # fmt: skip
    with ctx.uow() as uow:
        audit.record(uow.session, actor, "backup.created", "backup", backup_id, details,
                     at=ctx.clock())  # fmt: skip
        uow.commit()
    return BackupMade(path, backup_id, size, facts.schema_revision, facts.offices,
                      facts.audit_events)  # fmt: skip


def _write(path: Path, passphrase: str, manifest: bundle.Manifest, members: dict[str, Path]) -> int:
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        with os.fdopen(open_private(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL), "wb") as out:
            sealed = SealedWriter(out, passphrase)
            bundle.pack(cast(IO[bytes], sealed), manifest, members)
            sealed.close()
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(partial, path)  # never over an existing file, even one made meanwhile
        except FileExistsError:
            raise BackupFileExists(path) from None
        return path.stat().st_size
    finally:
        partial.unlink(missing_ok=True)
