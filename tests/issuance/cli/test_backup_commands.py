"""``issuance backup FILE`` and ``issuance restore FILE`` in this process (issue 17, item 3), on
SQLite and PostgreSQL: the passphrase from stdin, the restore into an empty database and a new
data folder, then ``issuance audit verify`` passes; refusals are one line, exit code 2."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.issuance.services.backup.conftest import PASSPHRASE, enrol
from tests.support.cli_in_process import assert_refused, context_environment, run_in_process
from tests.support.world import build_world


@pytest.fixture
def empty_target(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> str:
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored-data' / 'issuance.db'}"
    server = request.getfixturevalue("postgres")
    name = f"cli_restored_{uuid.uuid4().hex}"
    server.execute(f"CREATE DATABASE {name}")
    return server.url(name)


def test_backup_restore_then_audit_verify(
    ctx, console, monkeypatch, capsys, tmp_path: Path, empty_target: str
) -> None:
    world = build_world(ctx, console)
    enrol(ctx, world, 1)
    source = context_environment(ctx)
    file = tmp_path / "office.backup"

    made = run_in_process(monkeypatch, capsys, source, "backup", str(file),
                          stdin=PASSPHRASE + "\n")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "offices TR" in made.stdout and PASSPHRASE not in made.stdout

    # Another desk: its own data folder, the empty database, no key configured.
    target = context_environment(ctx)
    target.update(ISSUANCE_DATA_DIR=str(tmp_path / "restored-data"),
                  ISSUANCE_DATABASE_URL=empty_target)  # fmt: skip
    target.pop("ISSUANCE_BIOMETRIC_KEY")
    wrong = run_in_process(monkeypatch, capsys, target, "restore", str(file),
                           stdin="a wrong passphrase\n")  # fmt: skip
    assert_refused(wrong, "The backup's passphrase is wrong")
    restored = run_in_process(monkeypatch, capsys, target, "restore", str(file),
                              stdin=PASSPHRASE + "\n")  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert "issuance audit verify" in restored.stdout

    verified = run_in_process(monkeypatch, capsys, target, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "audit chain intact" in verified.stdout

    again = run_in_process(monkeypatch, capsys, target, "restore", str(file),
                           stdin=PASSPHRASE + "\n")  # fmt: skip
    assert_refused(again, "is not empty")


def test_backup_refusals_are_one_line(ctx, monkeypatch, capsys, tmp_path: Path) -> None:
    env = context_environment(ctx)
    file = tmp_path / "office.backup"
    weak = run_in_process(monkeypatch, capsys, env, "backup", str(file), stdin="short\n")
    assert_refused(weak, "at least 12 characters")
    assert not file.exists()
    not_backup = tmp_path / "notes.txt"
    not_backup.write_text("hello")
    refused = run_in_process(monkeypatch, capsys, env, "restore", str(not_backup),
                             stdin=PASSPHRASE + "\n")  # fmt: skip
    assert_refused(refused, "not a backup made by this program")
