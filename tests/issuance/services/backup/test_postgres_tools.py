"""PostgreSQL's client tools for backup and restore (issue 17, item 3): the ones of the server's
major version are found, a missing version is named with the package to install, the password
never reaches a command line, and a failing pg_restore is one sentence and changes nothing."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from issuance.db.engine import make_engine
from issuance.services.backup import postgres as tools
from issuance.services.backup.errors import PostgresToolFailed, PostgresToolsMissing
from tests.support.postgres import PostgresServer


def test_the_tools_of_the_servers_major_version(postgres: PostgresServer) -> None:
    name = f"tools_version_{uuid.uuid4().hex}"
    postgres.execute(f"CREATE DATABASE {name}")
    engine = make_engine(postgres.url(name))
    try:
        major = tools.server_major(engine)
    finally:
        engine.dispose()
    for name in ("pg_dump", "pg_restore"):
        found = tools.tool(name, major)
        version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
        assert int(version.split("(PostgreSQL) ")[1].split(".")[0]) >= major


def test_a_missing_major_version_names_the_package() -> None:
    with pytest.raises(PostgresToolsMissing) as missing:
        tools.tool("pg_dump", 99)
    assert "postgresql-client-99" in missing.value.message("en")
    assert "postgresql-client-99" in missing.value.message("sq")


def test_the_password_goes_through_the_environment() -> None:
    url = make_url(
        "postgresql+psycopg://office:s3cret%27x@db.example:5433/issuance?sslmode=require"
    )
    conninfo, env = tools._conninfo(url)
    assert "s3cret" not in conninfo and env["PGPASSWORD"] == "s3cret'x"
    assert "host='db.example'" in conninfo and "sslmode='require'" in conninfo


def test_a_failing_pg_restore_changes_nothing(postgres: PostgresServer, tmp_path: Path) -> None:
    name = f"tools_failing_restore_{uuid.uuid4().hex}"
    postgres.execute(f"CREATE DATABASE {name}")
    engine = make_engine(postgres.url(name))
    dump = tmp_path / "not-a-dump"
    dump.write_bytes(b"PGDMP but not really")
    try:
        with pytest.raises(PostgresToolFailed) as failed:
            tools.restore(dump, engine)
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
    finally:
        engine.dispose()
    assert failed.value.message("en").startswith("'pg_restore' failed: ")
