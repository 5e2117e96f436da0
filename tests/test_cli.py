"""The administration command line, run as a real process against both databases."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, text

from tests.conftest import TEST_KEY
from tests.support.postgres import free_port


def run(env, *args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "issuance.cli", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def _env(tmp_path, url):
    env = dict(os.environ)
    env.update(
        ISSUANCE_DATA_DIR=str(tmp_path / "data"),
        ISSUANCE_DATABASE_URL=url,
        ISSUANCE_BIOMETRIC_KEY=TEST_KEY,
        ISSUANCE_LANGUAGE="en",
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


def test_operator_lifecycle(tmp_path, database_url):
    env = _env(tmp_path, database_url)
    seeded = run(env, "demo", "seed")
    assert seeded.returncode == 0, seeded.stderr
    assert "elira" in seeded.stdout and "Demo2026x" in seeded.stdout
    assert run(env, "demo", "seed").returncode == 0  # idempotent

    added = run(env, "operator", "add", "ana", "--name", "Ana Çela", "--role", "supervisor",
                "--office", "TR", stdin="Good-pass-2026\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "otpauth://totp/" in added.stdout

    assert_refused(
        run(env, "operator", "add", "bob", "--name", "Bob", "--role", "clerk", stdin="weak\n"),
        "at least 8 characters",
    )
    assert_refused(
        run(env, "operator", "add", "ana", "--name", "Again", "--role", "clerk",
            stdin="Good-pass-2026\n"),
        "already exists",
    )  # fmt: skip
    assert_refused(run(env, "operator", "unlock", "nobody"), "does not exist")

    listed = run(env, "operator", "list")
    rows = {line.split("\t")[0]: line.split("\t") for line in listed.stdout.splitlines()}
    assert rows["ana"][1:3] == ["supervisor", "TR"] and rows["admin"][2] == "-"

    assert run(env, "operator", "reset-password", "ana", stdin="Other-pass-2026\n").returncode == 0
    assert run(env, "operator", "unlock", "ana").returncode == 0

    verified = run(env, "audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout


def test_audit_verify_reports_the_broken_link(tmp_path, database_url):
    env = _env(tmp_path, database_url)
    assert run(env, "demo", "seed").returncode == 0
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET entity_id = '999' WHERE seq = 5"))
    engine.dispose()
    result = run(env, "audit", "verify")
    assert result.returncode == 1
    assert "broken at event 5" in result.stderr and "edited" in result.stderr


def test_passwords_are_never_arguments(tmp_path, database_url):
    result = run(_env(tmp_path, database_url), "operator", "add", "x", "--name", "X",
                 "--role", "clerk", "--password", "Secret-2026")  # fmt: skip
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def test_database_down_is_one_line(tmp_path):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none"
    assert_refused(run(_env(tmp_path, url), "operator", "list"), "database")
