"""A throwaway PostgreSQL server for the test session (PLATFORM.md recipe).

pg_ctl refuses to run as root, so as root the server runs as the ``postgres`` user in a folder
it owns; the tests themselves stay in this process and connect over TCP on loopback.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    bindir: Path
    datadir: Path
    port: int
    as_postgres: bool

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql)

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd="/")

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-m", "fast", "-w", "-D", str(self.datadir))


def start_postgres() -> PostgresServer:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError(
            "PostgreSQL server binaries not found under /usr/lib/postgresql: "
            "`make test` installs the postgresql package"
        )
    bindir = Path(found[-1]).parent
    as_postgres = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="issuance-pg-"))
    if as_postgres:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
    server = PostgresServer(bindir, base / "data", free_port(), as_postgres)
    server._run(
        "initdb", "-D", str(server.datadir), "-U", "postgres", "-A", "trust",
        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
    )  # fmt: skip
    options = f"-F -p {server.port} -k {base} -c listen_addresses=127.0.0.1 -c max_connections=200"
    server._run(
        "pg_ctl", "start", "-w", "-D", str(server.datadir), "-l", str(base / "log"), "-o", options
    )
    return server


def remove(server: PostgresServer) -> None:
    server.stop()
    shutil.rmtree(server.datadir.parent, ignore_errors=True)
