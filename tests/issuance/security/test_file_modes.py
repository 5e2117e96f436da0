"""What the desk writes into its data folder (names, NIDs, passports, addresses, password
hashes, keys) is for its user alone: every folder it creates is 0700 and every file 0600,
whatever the umask (defect 5: issuance.db was 0644 and the data folder 0755; under umask 000
keys/ was 0777 and the certificates 0666)."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from devtools.backends import development_devices
from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.db.engine import engine_for
from issuance.ports.private_files import private_folder
from issuance.security.keys import default_csca_folder, init_keys, issue_document_signer
from issuance.security.sealing import Sealer, load_key
from issuance.services import desk_settings, receipts
from tests.conftest import TEST_KEY
from tests.support.world import build_world

DEVICES = development_devices()

UMASKS = [0o000, 0o022]


@pytest.fixture(params=UMASKS, ids=["umask000", "umask022"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def assert_private(root: Path) -> list[Path]:
    """Every folder under ``root`` (and ``root``) 0700, every file 0600; returns the files."""
    assert mode(root) == 0o700, root
    files = []
    for path in sorted(root.rglob("*")):
        expected = 0o700 if path.is_dir() else 0o600
        assert mode(path) == expected, f"{path.relative_to(root)}: {oct(mode(path))}"
        if path.is_file():
            files.append(path)
    return files


def test_data_folder_database_and_its_wal_and_shm(tmp_path, umask):
    data = tmp_path / "data"
    engine = engine_for(Settings(data, f"sqlite:///{data / 'issuance.db'}"))
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect():  # open: the -wal and -shm files exist now
            names = {p.name for p in assert_private(data)}
            assert {"issuance.db", "issuance.db-wal", "issuance.db-shm"} <= names
    finally:
        engine.dispose()
    assert_private(data)


def test_parents_of_a_new_data_folder_too(tmp_path, umask):
    folder = private_folder(tmp_path / "home" / "share" / "issuance")
    assert assert_private(tmp_path / "home") == []
    assert folder.is_dir()
    existing = tmp_path / "existing"
    existing.mkdir(mode=0o755)
    os.chmod(existing, 0o755)
    private_folder(existing)
    assert mode(existing) == 0o755  # not ours to change


def test_demo_key_file(tmp_path, umask):
    settings = Settings(tmp_path / "data", "sqlite://")
    load_key(settings)
    assert [p.name for p in assert_private(settings.data_dir)] == ["biometric.key"]


def test_keys_folder_and_every_key_and_certificate(tmp_path, umask):
    made = init_keys(tmp_path / "data" / "keys")
    written = {*made.desk.paths(), *made.csca.paths()}  # the CSCA next to the keys folder
    assert made.csca.folder == default_csca_folder(made.desk.folder)
    files = assert_private(tmp_path / "data")
    assert set(files) == written
    # Replaced keys too, even over files someone widened.
    for path in written:
        os.chmod(path, 0o666)
    init_keys(made.desk.folder, overwrite=True)
    assert set(assert_private(tmp_path / "data")) == written
    for path in made.desk.paths():
        os.chmod(path, 0o666)
    issue_document_signer(made.csca.folder, made.desk.folder, overwrite=True)
    assert set(assert_private(tmp_path / "data")) == written


def _context(tmp_path: Path, database_url: str) -> Context:
    settings = Settings(tmp_path / "data", database_url, biometric_key=TEST_KEY)
    sealer = Sealer(base64.b64decode(TEST_KEY))
    return Context(settings, engine_for(settings), sealer, devices=DEVICES)


def test_desk_settings_file(tmp_path, database_url, console, umask):
    # The data folder exists when an administrator changes a setting (bootstrap made it).
    private_folder(tmp_path / "data")
    ctx = _context(tmp_path, database_url)
    try:
        world = build_world(ctx, console)
        desk_settings.change(ctx, world.administrator, {"camera": "opencv:1"}, environ={})
    finally:
        ctx.close()
    files = assert_private(ctx.settings.data_dir)
    assert "desk-settings.json" in {p.name for p in files}


def test_the_audit_checkpoint_does_not_make_the_data_folder_public(tmp_path, console, umask):
    ctx = _context(tmp_path, "sqlite://")
    try:
        from issuance.db import migrate

        migrate.upgrade(ctx.engine)
        build_world(ctx, console)  # audited: the checkpoint is written
    finally:
        ctx.close()
    assert_private(ctx.settings.data_dir)


@pytest.mark.parametrize("printer", ["receipt_printer_spec", "card_printer_spec"])
def test_printed_receipts_and_cards(tmp_path, umask, printer):
    settings = Settings(tmp_path / "data", "sqlite://")
    pdf = b"%PDF-1.4\n%%EOF\n"
    if printer == "receipt_printer_spec":
        outcome = receipts.print_receipt(DEVICES, settings, "TR-2026-000001", pdf, timeout=30)
    else:
        from devices.card_printer import open_card_printer

        card_printer = open_card_printer(settings.card_printer_spec)
        try:
            outcome = card_printer.print_card(pdf, title="card").result(timeout=30)
        finally:
            card_printer.close()
    assert outcome.output is not None and outcome.output.read_bytes() == pdf
    assert outcome.output in assert_private(settings.data_dir)


# -- real commands under the umask of the shell that starts them --------------------------------


@pytest.mark.parametrize("umask_text", ["000", "022"])
def test_commands_create_private_files(tmp_path, umask_text):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISSUANCE_")}
    env.update(ISSUANCE_DATA_DIR=str(tmp_path / "data"), ISSUANCE_LANGUAGE="en")
    for command in (["db", "upgrade"], ["keys", "init"], ["operator", "list"]):
        result = subprocess.run(
            ["sh", "-c", f'umask {umask_text} && exec "$@"', "sh",
             sys.executable, "-m", "issuance.cli.main", *command],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    names = {p.relative_to(tmp_path / "data").as_posix() for p in assert_private(tmp_path / "data")}
    assert {"issuance.db", "biometric.key", "csca-offline/csca.key.pem",
            "csca-offline/csca.cert.pem", "keys/csca.cert.pem", "keys/ds.key.pem",
            "keys/ds.cert.pem"} <= names  # fmt: skip
    assert "keys/csca.key.pem" not in names  # the CSCA's private key stays off the desk
