"""Every refusal of backup and restore (issue 17, item 3), on SQLite and PostgreSQL: each is
its own sentence in both languages, and a refused restore changes neither the target database
nor the data folder; a refused backup leaves no file."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.errors import IssuanceError
from issuance.security.permissions import Actor, NotPermitted
from issuance.services.backup import database
from issuance.services.backup.backing_up import back_up
from issuance.services.backup.errors import (
    BackupDamaged,
    BackupFileExists,
    BackupOfOtherDatabase,
    BackupSchemaTooNew,
    DatabaseNotEmpty,
    InstallationKeyDiffers,
    NotABackup,
    WeakPassphrase,
    WrongPassphrase,
)
from issuance.services.backup.restoring import restore
from tests.issuance.services.backup.conftest import PASSPHRASE
from tests.support.world import World


@pytest.fixture
def backup_file(ctx: Context, console: Actor, office: list[int], tmp_path: Path) -> Path:
    file = tmp_path / "office.backup"
    back_up(ctx, console, file, PASSPHRASE)
    return file


def _state(settings: Settings) -> tuple[object, dict[str, str]]:
    """The target database (an SQLite file's bytes or absence; PostgreSQL's tables and rows)
    and every file of the data folder with its hash."""
    url = settings.database_url
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        db: object = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    else:
        engine = create_engine(url)
        with engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            db = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
        engine.dispose()
    folder = settings.data_dir
    files = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    } if folder.exists() else {}  # fmt: skip
    return db, files


def _refused(
    settings: Settings, backup: Path, error: type[IssuanceError], passphrase: str = PASSPHRASE
) -> IssuanceError:
    before = _state(settings)
    with pytest.raises(error) as refused:
        restore(settings, Actor.console("tester"), backup, passphrase)
    assert _state(settings) == before
    sq, en = refused.value.message("sq"), refused.value.message("en")
    assert sq and en and sq != en and "Traceback" not in en
    return refused.value


def test_wrong_passphrase(backup_file: Path, restored_settings: Settings) -> None:
    error = _refused(restored_settings, backup_file, WrongPassphrase, "not the passphrase!")
    assert "passphrase is wrong" in error.message("en")


def test_damaged_and_cut_short(
    backup_file: Path, restored_settings: Settings, tmp_path: Path
) -> None:
    raw = backup_file.read_bytes()
    edited = bytearray(raw)
    edited[len(raw) // 2] ^= 0xFF
    for name, content in [("edited", bytes(edited)), ("cut", raw[: len(raw) * 2 // 3]),
                          ("cut-end", raw[:-1])]:  # fmt: skip
        damaged = tmp_path / name
        damaged.write_bytes(content)
        _refused(restored_settings, damaged, BackupDamaged)


def test_not_a_backup(restored_settings: Settings, tmp_path: Path) -> None:
    other = tmp_path / "photo.jpg"
    other.write_bytes(b"\xff\xd8\xff\xe0" + bytes(1000))
    _refused(restored_settings, other, NotABackup)


def test_a_database_that_is_not_empty(backup_file: Path, ctx: Context, tmp_path: Path) -> None:
    """Into the very database it came from (offices, operators, applications): refused."""
    settings = Settings(data_dir=tmp_path / "elsewhere", database_url=ctx.settings.database_url)
    _refused(settings, backup_file, DatabaseNotEmpty)


def test_a_database_with_only_an_office_is_not_empty(
    ctx: Context, console: Actor, world: World, tmp_path: Path, target_url: Callable[..., str]
) -> None:
    from issuance.bootstrap import bootstrap
    from issuance.services import offices

    file = tmp_path / "office.backup"
    back_up(ctx, console, file, PASSPHRASE)
    settings = Settings(data_dir=tmp_path / "other", database_url=target_url(migrated=True),
                        biometric_key=ctx.settings.biometric_key)  # fmt: skip
    other = bootstrap(settings)
    offices.add_office(other, console, code="DR", name="DRKM Durrës", city="Durrës")
    other.close()
    _refused(settings, file, DatabaseNotEmpty)


def test_a_backup_of_a_newer_schema(
    ctx: Context,
    console: Actor,
    office: list[int],
    restored_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a newer program's backup says: a schema revision this program has no migration
    for."""
    real = database._facts
    monkeypatch.setattr(database, "_facts", lambda conn: database.Facts(
        "0099_from_the_future", real(conn).offices, real(conn).audit_events))  # fmt: skip
    file = tmp_path / "newer.backup"
    back_up(ctx, console, file, PASSPHRASE)
    monkeypatch.undo()
    error = _refused(restored_settings, file, BackupSchemaTooNew)
    assert "0099_from_the_future" in error.message("en")


def test_a_backup_of_the_other_backend(
    backup_file: Path, ctx: Context, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if ctx.settings.database_url.startswith("sqlite"):
        server = request.getfixturevalue("postgres")
        name = f"other_backend_{uuid.uuid4().hex}"
        server.execute(f"CREATE DATABASE {name}")
        url = server.url(name)
    else:
        url = f"sqlite:///{tmp_path / 'other.db'}"
    settings = Settings(data_dir=tmp_path / "other", database_url=url)
    _refused(settings, backup_file, BackupOfOtherDatabase)


def test_a_configured_key_that_is_not_the_backups(
    backup_file: Path, restored_settings: Settings
) -> None:
    import base64
    from dataclasses import replace

    other_key = base64.b64encode(b"o" * 32).decode()
    _refused(replace(restored_settings, biometric_key=other_key), backup_file,
             InstallationKeyDiffers)  # fmt: skip


def test_backup_refusals_leave_no_file(
    ctx: Context, console: Actor, world: World, tmp_path: Path
) -> None:
    file = tmp_path / "office.backup"
    with pytest.raises(WeakPassphrase):
        back_up(ctx, console, file, "short")
    with pytest.raises(NotPermitted):
        back_up(ctx, world.supervisor, file, PASSPHRASE)
    assert not file.exists()
    file.write_bytes(b"an earlier backup")
    with pytest.raises(BackupFileExists):
        back_up(ctx, console, file, PASSPHRASE)
    assert file.read_bytes() == b"an earlier backup"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_only_an_administrator_restores(
    backup_file: Path, restored_settings: Settings, world: World
) -> None:
    with pytest.raises(NotPermitted):
        restore(restored_settings, world.supervisor, backup_file, PASSPHRASE)
