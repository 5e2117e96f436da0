"""Issue 17 (3): a backup of an office with real enrolments restored into an empty database of
the same backend (SQLite, PostgreSQL) and another data folder: the audit trail verifies, the
sealed biometrics open with the restored key, the operators log in, the desk's signing keys
and checkpoint are back, and the backup and the restore are in the trail."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pyotp
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from issuance.bootstrap import Context
from issuance.db import migrate
from issuance.db.engine import make_engine
from issuance.db.models import Application, AuditEvent
from issuance.security import audit
from issuance.security.permissions import Actor
from issuance.services import enrolment, operators
from issuance.services.backup.backing_up import back_up
from tests.conftest import TEST_KEY
from tests.issuance.services.backup.conftest import PASSPHRASE
from tests.support.world import PASSWORD, SUPERVISOR_SECRET, World, fake_jpeg, fake_png


def _desk_keys(folder: Path) -> None:
    folder.mkdir(parents=True)
    for name in ("ds.key.pem", "ds.cert.pem", "csca.cert.pem"):
        (folder / name).write_text(f"{name} of this desk\n")


def test_round_trip_keeps_data_biometrics_keys_and_trail(
    ctx: Context,
    console: Actor,
    world: World,
    office: list[int],
    restored_settings,
    open_restored,
    tmp_path: Path,
) -> None:
    _desk_keys(ctx.settings.keys_dir)
    (ctx.settings.data_dir / "csca-offline").mkdir()
    (ctx.settings.data_dir / "csca-offline" / "csca.key.pem").write_text("offline\n")
    file = tmp_path / "office.backup"

    made = back_up(ctx, console, file, PASSPHRASE)

    assert made.offices == ["TR"] and made.audit_events > 0
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    raw = file.read_bytes()
    assert "Çela".encode() not in raw and b"LQ0000001" not in raw  # encrypted
    assert not list(ctx.settings.data_dir.glob(".backup-*"))  # no plain copy left behind

    restored_ctx, restored = open_restored(restored_settings, file)

    assert restored.backup_id == made.backup_id and restored.moved_aside == []
    report = audit.verify(restored_ctx, console)
    assert report.intact, report
    assert report.anchored_at is not None  # the backup's checkpoint came back, and moved on
    with restored_ctx.read() as uow:
        ids = uow.session.scalars(select(Application.id).order_by(Application.id)).all()
        actions = uow.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert ids == office
    assert actions[-1] == "backup.restored"
    with ctx.read() as uow:
        last = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (last.action, last.entity_id) == ("backup.created", made.backup_id)
    assert last.details["audit_events"] == made.audit_events
    # Sealed with the original installation key, opened with the restored key file.
    key_file = restored_settings.key_file
    assert base64.b64decode(key_file.read_text()) == base64.b64decode(TEST_KEY)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    for application_id in office:
        face = enrolment.read_capture(restored_ctx, world.clerk, application_id, "face", "face")
        finger = enrolment.read_capture(
            restored_ctx, world.clerk, application_id, "finger", "right_thumb"
        )
        assert face == fake_jpeg() and finger == fake_png()
    assert operators.authenticate(restored_ctx, "clerk", PASSWORD).username == "clerk"
    # The supervisor's second factor (its secret sealed in the database) opens too.
    code = pyotp.TOTP(SUPERVISOR_SECRET).now()
    assert operators.authenticate(restored_ctx, "supervisor", PASSWORD, code).username == (
        "supervisor"
    )
    # The desk's signing keys come back; the offline CSCA's key never leaves its folder.
    for name in ("ds.key.pem", "ds.cert.pem", "csca.cert.pem"):
        assert (restored_settings.keys_dir / name).read_text() == f"{name} of this desk\n"
    assert not list(restored_settings.data_dir.rglob("csca.key.pem"))


def test_restore_into_a_migrated_empty_database(
    ctx: Context, console: Actor, office: list[int], target_url, tmp_path: Path, open_restored
) -> None:
    from issuance.config import Settings

    file = tmp_path / "office.backup"
    back_up(ctx, console, file, PASSPHRASE)
    settings = Settings(data_dir=tmp_path / "other", database_url=target_url(migrated=True))
    # A table of something else in the same database: the restore leaves it alone.
    other = make_engine(settings.database_url)
    with other.begin() as conn:
        conn.execute(text("CREATE TABLE not_ours (note VARCHAR(20))"))
        conn.execute(text("INSERT INTO not_ours VALUES ('kept')"))
    other.dispose()

    restored_ctx, _ = open_restored(settings, file)

    assert audit.verify(restored_ctx, console).intact
    with restored_ctx.read() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Application)) == len(office)
    if not settings.database_url.startswith("sqlite"):  # an SQLite file is the desk's alone
        with restored_ctx.engine.connect() as conn:
            assert conn.execute(text("SELECT note FROM not_ours")).scalar_one() == "kept"


def test_restore_moves_a_differing_checkpoint_and_key_aside(
    ctx: Context,
    console: Actor,
    office: list[int],
    restored_settings,
    tmp_path: Path,
    open_restored,
) -> None:
    """The desk restored onto kept files of another chain and key: they are kept under
    another name, and the restored trail verifies against the backup's checkpoint."""
    file = tmp_path / "office.backup"
    back_up(ctx, console, file, PASSPHRASE)
    folder = restored_settings.data_dir
    folder.mkdir()
    (folder / "biometric.key").write_text(base64.b64encode(b"k" * 32).decode())
    (folder / "audit-checkpoint.json").write_text('{"another": "chain"}')

    restored_ctx, restored = open_restored(restored_settings, file)

    assert sorted(p.name.split(".before-restore-")[0] for p in restored.moved_aside) == [
        "audit-checkpoint.json", "biometric.key",
    ]  # fmt: skip
    assert all(p.exists() for p in restored.moved_aside)
    assert audit.verify(restored_ctx, console).intact


def test_an_older_schema_is_migrated_after_restore(
    ctx: Context,
    console: Actor,
    world: World,
    restored_settings,
    tmp_path: Path,
    open_restored,
) -> None:
    """A backup taken at an older schema revision (one this program knows) is brought to
    this program's head when the restored database is opened (an office and its operators:
    the downgrade of applications' tables on SQLite does not keep rows)."""
    migrate.downgrade(ctx.engine, "0004")
    file = tmp_path / "office.backup"
    made = back_up(ctx, console, file, PASSPHRASE)
    assert made.schema_revision == "0004"

    restored_ctx, restored = open_restored(restored_settings, file)

    assert restored.schema_revision == "0004"
    head = ScriptDirectory.from_config(
        migrate.alembic_config(restored_ctx.engine)
    ).get_current_head()
    with restored_ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
    assert audit.verify(restored_ctx, console).intact


def test_a_configured_key_and_this_desks_settings_are_kept(
    ctx: Context,
    console: Actor,
    office: list[int],
    restored_settings,
    tmp_path: Path,
    open_restored,
    target_url,
) -> None:
    """With ``ISSUANCE_BIOMETRIC_KEY`` set to the backup's key no key file is written; the
    backup's desk settings come back only to a desk that has none of its own."""
    from dataclasses import replace

    (ctx.settings.data_dir / "desk-settings.json").write_text('{"camera": "opencv:1"}')
    file = tmp_path / "office.backup"
    back_up(ctx, console, file, PASSPHRASE)
    configured = replace(restored_settings, biometric_key=TEST_KEY)

    restored_ctx, _ = open_restored(configured, file)

    assert audit.verify(restored_ctx, console).intact
    assert not configured.key_file.exists()
    assert (configured.data_dir / "desk-settings.json").read_text() == '{"camera": "opencv:1"}'

    other = replace(configured, data_dir=tmp_path / "third", database_url=target_url())
    other.data_dir.mkdir()
    (other.data_dir / "desk-settings.json").write_text('{"camera": "opencv:2"}')
    open_restored(other, file)
    assert (other.data_dir / "desk-settings.json").read_text() == '{"camera": "opencv:2"}'
