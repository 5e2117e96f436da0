"""``restore``: a backup back into an empty database and this desk's data folder.

Everything that can refuse is checked before anything is written: the file (a backup of this
program, not cut short nor altered, the passphrase right), its database (the same backend as
the configured one, a schema revision this program knows), the configured installation key (the
backup's, when one is set) and the target database (empty). Then the database is restored (in
one transaction on either backend) and the desk's files put in place. The caller then opens
the restored database, which migrates a backup of an older schema to this program's, and
records the restore in the trail (``record_restore``).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from issuance.config import Settings
from issuance.db.engine import engine_for
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize
from issuance.services.backup import bundle, data_folder, database
from issuance.services.backup.archive import SealedReader
from issuance.services.backup.errors import (
    BackupDamaged,
    BackupOfOtherDatabase,
    BackupSchemaTooNew,
    DatabaseNotEmpty,
)

if TYPE_CHECKING:
    from issuance.bootstrap import Context


@dataclass(frozen=True)
class Restored:
    backup_id: str
    created_at: str
    schema_revision: str
    offices: list[str]
    audit_events: int
    # Files of this desk that differed from the backup's, kept under another name.
    moved_aside: list[Path]


def restore(settings: Settings, actor: Actor, path: Path, passphrase: str) -> Restored:
    authorize(actor, UseCase.RESTORE)
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=_work_parent(settings)))
    try:
        with path.open("rb") as source:
            reader = SealedReader(source, passphrase)
            manifest, members = bundle.unpack(cast(IO[bytes], reader), work / "unpacked")
        snapshot = _checked(manifest, members)
        data_folder.check_key(settings, members)
        _check_target(settings, manifest)
        engine = engine_for(settings)
        try:
            database.restore(engine, snapshot)
        finally:
            engine.dispose()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved = data_folder.install(settings, members, stamp)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Restored(manifest.backup_id, manifest.created_at, manifest.schema_revision,
                    manifest.offices, manifest.audit_events, moved)  # fmt: skip


def record_restore(ctx: Context, actor: Actor, restored: Restored) -> None:
    """The restore's event, appended to the restored trail (no personal data: the backup's
    identifier, date and schema)."""
    authorize(actor, UseCase.RESTORE)
    details = {"created_at": restored.created_at, "schema_revision": restored.schema_revision}
    with ctx.uow() as uow:
        audit.record(uow.session, actor, "backup.restored", "backup", restored.backup_id,
                     details, at=ctx.clock())  # fmt: skip
        uow.commit()


def _work_parent(settings: Settings) -> str | None:
    """Decrypted data is written next to where it goes (the data folder, 0700) when that
    exists; otherwise into a private folder of the system's temporary one."""
    return str(settings.data_dir) if settings.data_dir.is_dir() else None


def _checked(manifest: bundle.Manifest, members: dict[str, Path]) -> Path:
    snapshot = members.get(database.SNAPSHOT_NAMES.get(manifest.backend, ""))
    if snapshot is None or data_folder.KEY not in members:
        raise BackupDamaged()
    return snapshot


def _check_target(settings: Settings, manifest: bundle.Manifest) -> None:
    """The configured database is of the backup's kind, knows its schema and is empty; an
    SQLite file that does not exist yet is empty (and is not created by the check)."""
    try:
        url = make_url(settings.database_url)
    except (ArgumentError, ValueError):
        engine_for(settings).dispose()  # refuses the URL in words
        raise
    kind = url.get_backend_name()
    if kind != manifest.backend:
        raise BackupOfOtherDatabase(_name(manifest.backend), _name(kind))
    if not database.known_revision(manifest.schema_revision):
        raise BackupSchemaTooNew(manifest.schema_revision)
    if kind == "sqlite" and not Path(url.database or "").exists():
        return
    engine = engine_for(settings)
    try:
        if not database.is_empty(engine):
            raise DatabaseNotEmpty()
    finally:
        engine.dispose()


def _name(backend: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(backend, backend)
