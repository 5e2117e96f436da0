"""The ``issuance`` command line starts fast: building its parser, printing any help and
refusing a mistyped command import none of the heavy libraries (issue 11; the wall time
itself is measured by bench/cli_start.py, not here, where machine load would make it flaky).

Each probe runs in a fresh interpreter, where ``sys.modules`` shows what an operator's
``issuance --help`` really loads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from alembic.util import CommandError
from sqlalchemy.exc import OperationalError

from issuance.cli import main as cli

# What the commands need and --help must not load: the database and migrations, images,
# password hashing, keys and certificates, HTTP clients, devices, documents, Qt.
HEAVY = (
    "sqlalchemy", "alembic", "psycopg", "cv2", "numpy", "PIL", "argon2", "pyotp",
    "cryptography", "asn1crypto", "httpx", "jsonschema", "jsonschema_rs", "yaml", "smartcard",
    "cups", "reportlab", "PySide6",
    "issuance.bootstrap", "issuance.db.models", "issuance.services.operators",
    "issuance.security.audit", "devtools.demo.seeding", "issuance.delivery.outbox",
    "issuance.delivery.registers", "issuance.biometrics.photo.evaluator", "issuance.chip.signing",
)  # fmt: skip

_PROBE = """
import json, sys
from issuance.cli import main as cli
try:
    cli.main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
else:
    code = None
heavy = json.loads(sys.stdin.read())
loaded = sorted(m for m in heavy if m in sys.modules)
print(json.dumps({"code": code, "loaded": loaded}))
"""


def _probe(*argv: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        input=json.dumps(HEAVY), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["operator", "add", "--help"],
        ["photo", "check", "--help"],
        ["card", "verify", "--help"],
        ["outbox", "run", "--help"],
        ["no-such-command"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_help_and_usage_errors_load_nothing_heavy(argv):
    found = _probe(*argv)
    assert found["code"] == (2 if argv == ["no-such-command"] else 0)
    assert found["loaded"] == []


def test_the_probe_does_see_what_a_command_loads(tmp_path):
    # Guards the guard: a command that runs does load its libraries, and the probe says so.
    found = _probe("photo", "check", str(tmp_path / "missing.jpg"))
    assert found["code"] is None  # main returned instead of exiting: exit code 2 by return
    assert {"cv2", "numpy", "issuance.biometrics.photo.evaluator"} <= set(found["loaded"])


def test_importing_operators_hashes_nothing():
    """The unknown-user decoy hash is made at the first unknown login, not at import."""
    probe = """
import argon2
calls = []
original = argon2.PasswordHasher.hash
argon2.PasswordHasher.hash = lambda self, *a, **k: calls.append(1) or original(self, *a, **k)
import issuance.services.operators
print(len(calls))
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


def test_library_failures_are_still_recognised_without_importing_them_at_start():
    database = cli._refusal(OperationalError("SELECT 1", {}, Exception("server closed")))
    assert isinstance(database, cli.DatabaseFailure)
    assert "server closed" in database.message("en")
    migration = cli._refusal(CommandError("Can't locate revision identified by 'ffff'"))
    assert isinstance(migration, cli.MigrationRefused)
    assert "schema cannot be migrated" in migration.message("en")
    storage = cli._refusal(FileNotFoundError(2, "No such file", "/nowhere"))
    assert isinstance(storage, cli.StorageUnusable)
    assert cli._refusal(ValueError("a bug")) is None  # a bug keeps its traceback
