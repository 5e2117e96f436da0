"""A backup taken while a desk keeps enrolling (issue 17, item 3), on SQLite and PostgreSQL:
the restored database is one consistent moment of the office: the trail verifies, every
application has the events that made it, and every sealed capture opens."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import select

from issuance.bootstrap import Context
from issuance.db.models import Application, AuditEvent, BiometricCapture
from issuance.security import audit
from issuance.security.permissions import Actor
from issuance.services.backup.backing_up import back_up
from issuance.services.enrolment import capture_context
from tests.issuance.services.backup.conftest import PASSPHRASE, enrol
from tests.support.cli_in_process import context_environment
from tests.support.world import World

ATTEMPTS = 20


class Desk(threading.Thread):
    """Enrols applications one after the other until told to stop."""

    def __init__(self, ctx: Context, world: World) -> None:
        super().__init__(daemon=True)
        self.ctx, self.world = ctx, world
        self.enrolled = 0
        self.stop = threading.Event()
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                enrol(self.ctx, self.world, 100 + self.enrolled)
                self.enrolled += 1
        except BaseException as exc:  # reported by the test
            self.failure = exc


def test_backup_while_a_desk_enrols(
    ctx: Context,
    console: Actor,
    world: World,
    restored_settings,
    open_restored,
    tmp_path: Path,
) -> None:
    desk = Desk(ctx, world)
    desk.start()
    try:
        while desk.enrolled == 0 and desk.is_alive():
            desk.stop.wait(0.01)
        # Until a backup is taken while the desk's work went on (one that began and ended
        # between the same two applications proves nothing).
        for attempt in range(ATTEMPTS):
            before = desk.enrolled
            file = tmp_path / f"office-{attempt}.backup"
            back_up(ctx, console, file, PASSPHRASE)
            if desk.enrolled > before:
                break
        else:
            raise AssertionError("no backup overlapped the desk's writing")
    finally:
        desk.stop.set()
        desk.join(60)
    assert desk.failure is None, desk.failure

    restored_ctx, _ = open_restored(restored_settings, file)

    report = audit.verify(restored_ctx, console)
    assert report.intact, report
    with restored_ctx.read() as uow:
        session = uow.session
        applications = session.scalars(select(Application.id)).all()
        started = set(session.scalars(
            select(AuditEvent.entity_id).where(AuditEvent.action == "application.started")
        ))  # fmt: skip
        captures = session.execute(
            select(BiometricCapture.application_id, BiometricCapture.kind,
                   BiometricCapture.position, BiometricCapture.data_sealed)
        ).all()  # fmt: skip
    assert 0 < len(applications) <= desk.enrolled + 1
    assert {str(i) for i in applications} == started
    for application_id, kind, position, sealed in captures:
        assert restored_ctx.sealer.open(sealed, capture_context(application_id, kind, position))


def test_the_backup_command_in_its_own_process_while_a_desk_enrols(
    ctx: Context,
    console: Actor,
    world: World,
    restored_settings,
    open_restored,
    tmp_path: Path,
) -> None:
    """``issuance backup`` run as its own process, as an administrator would, while the desk
    (this process) keeps enrolling."""
    env = context_environment(ctx, ISSUANCE_ARGON2_PROFILE="test")
    file = tmp_path / "office.backup"
    desk = Desk(ctx, world)
    desk.start()
    try:
        while desk.enrolled == 0 and desk.is_alive():
            desk.stop.wait(0.01)
        before = desk.enrolled
        made = subprocess.run(
            [sys.executable, "-m", "issuance.cli.main", "backup", str(file)],
            input=PASSPHRASE + "\n", capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        during = desk.enrolled - before
    finally:
        desk.stop.set()
        desk.join(60)
    assert desk.failure is None, desk.failure
    assert made.returncode == 0, made.stderr
    assert during > 0  # the desk went on writing while the command ran

    restored_ctx, _ = open_restored(restored_settings, file)

    assert audit.verify(restored_ctx, console).intact
