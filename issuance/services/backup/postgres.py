"""PostgreSQL: a snapshot through ``pg_dump --format=custom``, and its way back through
``pg_restore`` in one transaction.

pg_dump reads one consistent snapshot while the desks keep writing. The client tools must be
of the server's major version or newer: Debian installs each major's under
``/usr/lib/postgresql/N/bin``, which is searched first, then the ``PATH``. The password goes to
the tools through ``PGPASSWORD`` in their environment, never on their command line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from issuance.services.backup.errors import PostgresToolFailed, PostgresToolsMissing

_DEBIAN_BINARIES = Path("/usr/lib/postgresql")
_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


def server_major(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def tool(name: str, major: int) -> str:
    """The path of ``name`` (pg_dump, pg_restore) of PostgreSQL ``major`` or newer."""
    candidates = [_DEBIAN_BINARIES / str(major) / "bin" / name]
    newer = sorted(_DEBIAN_BINARIES.glob(f"*/bin/{name}"), key=lambda p: p.parts[-3])
    candidates += newer
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            found = _major_of(candidate)
            if found is not None and found >= major:
                return str(candidate)
    raise PostgresToolsMissing(name, major)


def _major_of(binary: Path) -> int | None:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                             timeout=30, check=False).stdout  # fmt: skip
    except OSError:
        return None
    match = _VERSION.search(out)
    return int(match.group(1)) if match else None


def _conninfo(url: URL) -> tuple[str, dict[str, str]]:
    """libpq's connection string (no password) and the environment that carries it."""
    parts = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    for key, value in url.query.items():
        parts[key] = value if isinstance(value, str) else value[-1]
    words = [f"{key}='{_quoted(str(value))}'" for key, value in parts.items() if value]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return " ".join(words), env


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _run(name: str, command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise PostgresToolFailed(name, " ".join((lines[-1] if lines else "").split())[:300])


def snapshot(engine: Engine, target: Path, exported: str) -> None:
    """``pg_dump`` of the database of ``engine`` into ``target`` (custom format), as the
    exported snapshot ``exported`` (``pg_export_snapshot()``) sees it."""
    conninfo, env = _conninfo(engine.url)
    binary = tool("pg_dump", server_major(engine))
    command = [binary, "--format=custom", f"--snapshot={exported}", f"--file={target}",
               f"--dbname={conninfo}"]  # fmt: skip
    _run("pg_dump", command, env)


def clear_empty_schema(engine: Engine, ours: Iterable[str]) -> None:
    """Drop this program's tables (``ours``) from an empty database (a schema made by ``db
    upgrade``, no work in it) so that the dump's own schema takes their place; any other
    table of the database is left alone."""
    with engine.begin() as conn:
        present = set(
            conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
        )
        for name in sorted(present & set(ours)):
            quoted = name.replace('"', '""')
            conn.execute(text(f'DROP TABLE IF EXISTS "{quoted}" CASCADE'))


def restore(dump: Path, engine: Engine) -> None:
    """``pg_restore`` of ``dump`` into the database of ``engine``, all or nothing."""
    conninfo, env = _conninfo(engine.url)
    binary = tool("pg_restore", server_major(engine))
    _run("pg_restore", [binary, "--single-transaction", "--exit-on-error", "--no-owner",
                        "--no-privileges", f"--dbname={conninfo}", str(dump)], env)  # fmt: skip
