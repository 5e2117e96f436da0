"""Database connections never wait for ever, and URLs the program cannot use are refused in
words: a server that accepts connections and never answers (a real TCP listener on loopback),
statement and lock-wait timeouts on both databases, unsupported schemes, and SQLite files in
folders that do not exist."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from issuance.config import Settings, SettingsError, load_settings
from issuance.db.engine import (
    DatabaseFolderMissing,
    DatabaseTimeout,
    UnsupportedDatabase,
    engine_for,
    make_engine,
    timeout_refusal,
)
from tests.conftest import TEST_KEY
from tests.support.cli_in_process import run_in_process


class SilentServer:
    """Accepts TCP connections on loopback and never says a word (a hung database host)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(conn)

    def url(self) -> str:
        return f"postgresql://issuance@127.0.0.1:{self.port}/issuance"

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.listener.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def _env(tmp_path, url: str, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISSUANCE_")}
    env.update(
        ISSUANCE_DATA_DIR=str(tmp_path / "data"), ISSUANCE_DATABASE_URL=url,
        ISSUANCE_BIOMETRIC_KEY=TEST_KEY, ISSUANCE_LANGUAGE="en",
    )  # fmt: skip
    env.update(more)
    return env


def assert_one_line_refusal(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert fragment in result.stderr, result.stderr


# -- a server that never answers -------------------------------------------------------------


def test_cli_gives_up_on_a_silent_server(tmp_path, silent):
    """Defect: `issuance db upgrade` against it hung for ever (no connect timeout)."""
    env = _env(tmp_path, silent.url(), ISSUANCE_DB_CONNECT_TIMEOUT="1")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "issuance.cli.main", "db", "upgrade"],
        env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert_one_line_refusal(result, "did not answer in time")
    assert "ISSUANCE_DB_CONNECT_TIMEOUT" in result.stderr
    assert elapsed < 8, elapsed  # libpq waits at least 2 s; start-up on a busy machine
    assert silent.accepted, "the client never reached the server"


def test_cli_in_process_gives_up_on_a_silent_server(tmp_path, silent, monkeypatch, capsys):
    env = _env(tmp_path, silent.url(), ISSUANCE_DB_CONNECT_TIMEOUT="1", ISSUANCE_LANGUAGE="sq")
    started = time.monotonic()
    result = run_in_process(monkeypatch, capsys, env, "operator", "list")  # through bootstrap
    assert time.monotonic() - started < 8
    assert_one_line_refusal(result, "nuk u përgjigj në kohë")


def test_engine_gives_up_on_a_silent_server(tmp_path, silent):
    settings = Settings(tmp_path / "data", silent.url(), db_connect_timeout=1)
    engine = engine_for(settings)
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError) as failed, engine.connect():
            pass
    finally:
        engine.dispose()
    assert time.monotonic() - started < 6
    refusal = timeout_refusal(failed.value)
    assert isinstance(refusal, DatabaseTimeout)
    assert refusal.variable == "ISSUANCE_DB_CONNECT_TIMEOUT"


# -- statements and lock waits ----------------------------------------------------------------


def test_postgresql_statements_are_cut_at_the_statement_timeout(postgres):
    engine = make_engine(postgres.url("postgres"), statement_timeout=0.3)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "300ms"
            started = time.monotonic()
            with pytest.raises(OperationalError) as failed:
                conn.execute(text("SELECT pg_sleep(5)"))
            assert time.monotonic() - started < 3
    finally:
        engine.dispose()
    refusal = timeout_refusal(failed.value)
    assert refusal is not None and refusal.variable == "ISSUANCE_DB_STATEMENT_TIMEOUT"
    assert "took too long" in refusal.message("en")


def test_postgresql_defaults_are_set_on_every_connection(postgres):
    engine = make_engine(postgres.url("postgres"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "30s"
            parameters = conn.connection.dbapi_connection.info.get_parameters()
            assert parameters["connect_timeout"] == "10"
    finally:
        engine.dispose()


def test_sqlite_waits_for_a_writer_no_longer_than_the_statement_timeout(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    holder, waiter = make_engine(url), make_engine(url, statement_timeout=0.3)
    try:
        with holder.begin() as conn:  # BEGIN IMMEDIATE: the write lock
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            started = time.monotonic()
            with pytest.raises(OperationalError) as failed, waiter.begin():
                pass
            assert 0.2 < time.monotonic() - started < 3
    finally:
        holder.dispose()
        waiter.dispose()
    refusal = timeout_refusal(failed.value)
    assert refusal is not None and "another writer" in refusal.message("en")


def test_timeouts_come_from_the_environment(tmp_path):
    env = {"ISSUANCE_DATA_DIR": str(tmp_path)}
    assert (load_settings(env).db_connect_timeout, load_settings(env).db_statement_timeout) == (
        10.0, 30.0,
    )  # fmt: skip
    custom = load_settings(env | {"ISSUANCE_DB_CONNECT_TIMEOUT": "2.5",
                                  "ISSUANCE_DB_STATEMENT_TIMEOUT": "90"})  # fmt: skip
    assert (custom.db_connect_timeout, custom.db_statement_timeout) == (2.5, 90.0)
    for variable in ("ISSUANCE_DB_CONNECT_TIMEOUT", "ISSUANCE_DB_STATEMENT_TIMEOUT"):
        for bad in ("soon", "0", "-1", "nan"):
            with pytest.raises(SettingsError) as refused:
                load_settings(env | {variable: bad})
            assert variable in refused.value.message("en")


# -- URLs the program cannot use ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "mysql://u:secret@db.example/x",
        "oracle://u:secret@db.example/x",
        "postgresql+asyncpg://u:secret@db.example/x",
        "sqlite+pysqlcipher:///x.db",
        "mssql+pyodbc://u:secret@dsn",
        "nosuchdb://x",
        "not a url at all",
    ],
)
def test_unsupported_databases_are_refused_in_words(url):
    with pytest.raises(UnsupportedDatabase) as refused:
        make_engine(url)
    assert "not supported" in refused.value.message("en")
    assert "secret" not in refused.value.message("en")


def test_cli_refuses_mysql_in_one_line(tmp_path):
    """Defect: a mysql:// URL ended in a traceback (ModuleNotFoundError: MySQLdb)."""
    result = subprocess.run(
        [sys.executable, "-m", "issuance.cli.main", "db", "upgrade"],
        env=_env(tmp_path, "mysql://u:secret@localhost/x"),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert_one_line_refusal(result, "The database 'mysql' is not supported")
    assert "secret" not in result.stderr


def test_cli_refuses_oracle_in_process(tmp_path, monkeypatch, capsys):
    result = run_in_process(
        monkeypatch, capsys, _env(tmp_path, "oracle://u@db/x"), "operator", "list"
    )
    assert_one_line_refusal(result, "'oracle' is not supported")


# -- SQLite folders ----------------------------------------------------------------------------


def test_a_database_in_a_missing_folder_is_refused_and_nothing_is_created(
    tmp_path, monkeypatch, capsys
):
    """Defect: a SQLite URL silently created any parent folder (a typo made a tree)."""
    database = tmp_path / "typo" / "deep" / "issuance.db"
    result = run_in_process(
        monkeypatch, capsys, _env(tmp_path, f"sqlite:///{database}"), "db", "upgrade"
    )
    assert_one_line_refusal(result, f"The database folder '{database.parent}' does not exist")
    assert not (tmp_path / "typo").exists()
    with pytest.raises(DatabaseFolderMissing):
        make_engine(f"sqlite:///{database}", data_dir=tmp_path / "data")


def test_only_the_data_folder_itself_is_created(tmp_path):
    data = tmp_path / "data"
    settings = Settings(data, f"sqlite:///{data / 'issuance.db'}")
    engine_for(settings).dispose()
    assert data.is_dir() and (data / "issuance.db").is_file()
    # Elsewhere, an existing folder is used as it is.
    (tmp_path / "elsewhere").mkdir()
    engine_for(Settings(data, f"sqlite:///{tmp_path / 'elsewhere' / 'x.db'}")).dispose()
    assert (tmp_path / "elsewhere" / "x.db").is_file()
