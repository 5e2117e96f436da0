"""The administration command line against both databases.

Every command family (db, operator, audit, demo) and the refusals that depend on what a fresh
process has loaded run as real processes; checks of a command's own behaviour call
``issuance.cli.main.main`` in this process (``here``), which is the same code without the start-up.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys

import pyotp
import pytest
from sqlalchemy import create_engine, text

from devtools.cli import main as dev_main
from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.db.engine import make_engine
from issuance.security.sealing import Sealer
from issuance.services import operators
from tests.conftest import TEST_KEY
from tests.support.cli_in_process import run_in_process
from tests.support.postgres import free_port


def run(env, *args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "issuance.cli.main", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def run_dev(env, *args, stdin=""):
    """The development command line (``issuance-dev``): the product's commands and demo."""
    return subprocess.run(
        [sys.executable, "-m", "devtools", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


@pytest.fixture
def here_dev(monkeypatch, capsys):
    return lambda env, *args, stdin="": run_in_process(
        monkeypatch, capsys, env, *args, stdin=stdin, main=dev_main
    )


@pytest.fixture
def here(monkeypatch, capsys):
    """``run`` in this process (tests/cli_in_process.py)."""
    return lambda env, *args, stdin="": run_in_process(monkeypatch, capsys, env, *args, stdin=stdin)


def _env(tmp_path, url):
    env = dict(os.environ)
    env.update(
        ISSUANCE_DATA_DIR=str(tmp_path / "data"),
        ISSUANCE_DATABASE_URL=url,
        ISSUANCE_BIOMETRIC_KEY=TEST_KEY,
        ISSUANCE_LANGUAGE="en",
        # Operators are created and log in here; argon2's cost is tested in test_operators.
        ISSUANCE_ARGON2_PROFILE="test",
    )
    return env


def assert_refused(result, fragment):
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert fragment in result.stderr


def test_upgrade_creates_the_schema(tmp_path, empty_database_url):
    result = run(_env(tmp_path, empty_database_url), "db", "upgrade")
    assert result.returncode == 0 and "head" in result.stdout
    engine = create_engine(empty_database_url.replace("+psycopg", "+psycopg"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_head")).scalar_one() == 1
    engine.dispose()


def test_operator_lifecycle(tmp_path, database_url, here, here_dev):
    env = _env(tmp_path, database_url)
    seeded = run_dev(env, "demo", "seed")  # a real process: demo
    assert seeded.returncode == 0, seeded.stderr
    assert "elira" in seeded.stdout and "Demo2026x" in seeded.stdout
    assert here_dev(env, "demo", "seed").returncode == 0  # idempotent

    # A real process: operator, with the password read from a real pipe.
    added = run(env, "operator", "add", "ana", "--name", "Ana Çela", "--role", "supervisor",
                "--office", "TR", stdin="Good-pass-2026\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "otpauth://totp/" in added.stdout

    assert_refused(
        here(env, "operator", "add", "bob", "--name", "Bob", "--role", "clerk", stdin="weak\n"),
        "at least 8 characters",
    )
    assert_refused(
        here(env, "operator", "add", "ana", "--name", "Again", "--role", "clerk",
             stdin="Good-pass-2026\n"),
        "already exists",
    )  # fmt: skip
    assert_refused(here(env, "operator", "unlock", "nobody"), "does not exist")

    listed = here(env, "operator", "list")
    rows = {line.split("\t")[0]: line.split("\t") for line in listed.stdout.splitlines()}
    assert rows["ana"][1:3] == ["supervisor", "TR"] and rows["admin"][2] == "-"

    reset = here(env, "operator", "reset-password", "ana", stdin="Other-pass-2026\n")
    assert reset.returncode == 0 and reset.stdout == "password of ana reset\n"
    secret = pyotp.parse_uri(re.search(r"otpauth://\S+", added.stdout).group()).secret
    _assert_password(tmp_path, database_url, "ana", new="Other-pass-2026", old="Good-pass-2026",
                     code=pyotp.TOTP(secret).now())  # fmt: skip
    assert here(env, "operator", "unlock", "ana").stdout == "operator ana unlocked\n"

    verified = here(env, "audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout


def _assert_password(tmp_path, url, username, *, new, old, code):
    """Through the services, as the desk logs in: the new password works, the old one not."""
    settings = Settings(tmp_path / "data", url, biometric_key=TEST_KEY)
    ctx = Context(settings, make_engine(url), Sealer(base64.b64decode(TEST_KEY)))
    try:
        assert operators.authenticate(ctx, username, new, code).username == username
        with pytest.raises(operators.InvalidCredentials):
            operators.authenticate(ctx, username, old, code)
    finally:
        ctx.close()


def test_audit_verify_reports_the_broken_link(tmp_path, database_url, here, here_dev):
    env = _env(tmp_path, database_url)
    assert here_dev(env, "demo", "seed").returncode == 0
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET entity_id = '999' WHERE seq = 5"))
    engine.dispose()
    result = run(env, "audit", "verify")  # a real process: audit
    assert result.returncode == 1
    assert "broken at event 5" in result.stderr and "edited" in result.stderr


def test_passwords_are_never_arguments(tmp_path, database_url, here):
    result = here(_env(tmp_path, database_url), "operator", "add", "x", "--name", "X",
                 "--role", "clerk", "--password", "Secret-2026")  # fmt: skip
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def test_database_down_is_one_line(tmp_path):
    # A real process: SQLAlchemy's refusal is recognised although nothing imported it at start.
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none"
    assert_refused(run(_env(tmp_path, url), "operator", "list"), "database")


def test_unknown_schema_revision_is_one_line(tmp_path, database_url, here):
    """A database a newer version migrated: Alembic does not know its revision."""
    env = _env(tmp_path, database_url)
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    engine.dispose()
    # A real process: Alembic's refusal is recognised although nothing imported it at start.
    assert_refused(run(env, "db", "upgrade"), "schema cannot be migrated")
    assert_refused(here(env, "operator", "list"), "schema cannot be migrated")  # migrates on start
    env.pop("ISSUANCE_LANGUAGE")
    assert_refused(here(env, "db", "upgrade"), "nuk mund të përditësohet")


def test_database_folder_that_cannot_be_created_is_one_line(tmp_path, here):
    (tmp_path / "a-file").write_text("not a folder")
    url = f"sqlite:///{tmp_path / 'a-file' / 'issuance.db'}"
    env = _env(tmp_path, url)
    assert_refused(here(env, "operator", "list"), f"'{tmp_path / 'a-file'}' cannot be used")
    env.pop("ISSUANCE_LANGUAGE")  # Albanian unless told otherwise
    assert_refused(here(env, "db", "upgrade"), "nuk mund të përdoret")


def test_data_folder_on_a_missing_share_is_one_line(tmp_path, here):
    # The data folder is a link to a share that is not mounted.
    (tmp_path / "share").symlink_to(tmp_path / "not-mounted" / "issuance")
    env = _env(tmp_path, "")
    env.update(ISSUANCE_DATA_DIR=str(tmp_path / "share"), ISSUANCE_DATABASE_URL="")
    assert_refused(here(env, "operator", "list"), f"'{tmp_path / 'share'}' cannot be used")


def test_data_folder_under_a_regular_file_is_refused_without_traceback(tmp_path):
    # A real process: everything it prints on stderr, the settings' log line included.
    (tmp_path / "a-file").write_text("not a folder")
    data = tmp_path / "a-file" / "data"
    env = _env(tmp_path, "")
    del env["ISSUANCE_BIOMETRIC_KEY"]  # the demo key would be created in the data folder too
    env.update(ISSUANCE_DATA_DIR=str(data), ISSUANCE_DATABASE_URL="")
    result = run_dev(env, "demo", "seed")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    # issuance.config also logs that it ignores the unreachable desk-settings file.
    lines = [line for line in result.stderr.splitlines() if "desk settings file" not in line]
    assert lines == [f"issuance: '{data}' cannot be used: part of the path is not a folder"]


def test_bad_setting_is_one_line_in_the_operators_language(tmp_path, here):
    env = _env(tmp_path, "")
    env.update(ISSUANCE_SERVICE_TIMEOUT="soon")
    assert_refused(here(env, "operator", "list"), "ISSUANCE_SERVICE_TIMEOUT")
    assert "not valid" in here(env, "db", "upgrade").stderr
    # A language the desk does not know: the refusal itself falls back to Albanian.
    env.update(ISSUANCE_LANGUAGE="fr", ISSUANCE_SERVICE_TIMEOUT="10")
    assert_refused(here(env, "operator", "list"), "Vlera «fr» e ISSUANCE_LANGUAGE")
