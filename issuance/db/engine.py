"""Engines for the two supported databases, configured for durability and for serialised writes.

SQLite (one desk): WAL so readers never block the writer, foreign keys enforced, fsync on every
commit (synchronous=FULL), and every transaction opened with BEGIN IMMEDIATE: two processes that
both read-then-write would otherwise deadlock on the lock upgrade instead of queueing. Read-only
units of work (the ``READ_ONLY`` execution option) begin a plain deferred transaction instead:
they never wait for a writer.
PostgreSQL (many desks): row locks and ON CONFLICT upserts give the same guarantees; read-only
units of work run READ ONLY (a write is refused) on one REPEATABLE READ snapshot.

Nothing waits for ever: a PostgreSQL server that accepts the connection and never answers is
given up after the connect timeout, a statement (or a lock wait) after the statement timeout;
SQLite waits for another writer no longer than the statement timeout either. Any other kind of
database URL is refused in words, and so is an SQLite file whose folder does not exist: only
the data folder itself is ever created (0700), and the database file in it is made 0600 before
SQLite opens it, so its -wal and -shm files get the same mode.
"""

from __future__ import annotations

import errno
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from issuance.config import Settings
from issuance.errors import IssuanceError
from issuance.incidents import timeout_kind
from issuance.ports.private_files import PRIVATE_FILE_MODE, private_folder

if TYPE_CHECKING:
    from sqlalchemy.exc import SQLAlchemyError

CONNECT_TIMEOUT_S = Settings.db_connect_timeout
STATEMENT_TIMEOUT_S = Settings.db_statement_timeout
# The drivers each supported backend is reached through (``postgresql://`` means psycopg 3).
SUPPORTED = {"sqlite": ("pysqlite",), "postgresql": ("psycopg",)}
# The execution option of a read-only unit of work's connection (``Context.read``): its
# transaction takes no write lock on SQLite (a plain deferred BEGIN instead of BEGIN IMMEDIATE)
# and refuses every write on PostgreSQL (READ ONLY).
READ_ONLY = "issuance_read_only"
# The first statement of a read-only transaction, by backend. SQLite: a deferred BEGIN (in WAL
# its snapshot is taken by the first read, and it never waits for a writer). PostgreSQL: psycopg
# has just opened the transaction (the pool's pre-ping runs in autocommit), so this comes first;
# REPEATABLE READ gives every statement of a read model the same snapshot, as SQLite's readers
# have, and a read-only transaction never fails to serialise.
READ_ONLY_BEGIN = {
    "sqlite": "BEGIN",
    "postgresql": "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
}


class UnsupportedDatabase(IssuanceError):
    """The URL names a database (or a driver) this program does not work with."""

    def __init__(self, scheme: str) -> None:
        # Only the scheme: the rest of a URL may hold a password.
        super().__init__(
            f"Baza e të dhënave «{scheme}» nuk mbështetet: përdorni sqlite:///SHTEGU ose "
            "postgresql://përdoruesi@host/baza (ISSUANCE_DATABASE_URL).",
            f"The database '{scheme}' is not supported: use sqlite:///PATH or "
            "postgresql://user@host/database (ISSUANCE_DATABASE_URL).",
        )
        self.scheme = scheme


class DatabaseFolderMissing(IssuanceError):
    """An SQLite file outside the data folder, in a folder that does not exist: a typing
    mistake in the URL, which must not quietly grow a tree of folders."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"Dosja e bazës së të dhënave «{folder}» nuk ekziston; krijojeni ose korrigjoni "
            "ISSUANCE_DATABASE_URL.",
            f"The database folder '{folder}' does not exist; create it or correct "
            "ISSUANCE_DATABASE_URL.",
        )
        self.folder = folder


class DatabaseTimeout(IssuanceError):
    """The database did not answer in time: no connection within the connect timeout, or a
    statement (or its wait for a lock) longer than the statement timeout."""

    def __init__(self, what_sq: str, what_en: str, variable: str) -> None:
        super().__init__(
            f"Baza e të dhënave nuk u përgjigj në kohë ({what_sq}; {variable}).",
            f"The database did not answer in time ({what_en}; {variable}).",
        )
        self.variable = variable


def engine_for(settings: Settings, **kwargs: Any) -> Engine:
    """The engine of the configured database, with the configured timeouts."""
    return make_engine(
        settings.database_url,
        connect_timeout=settings.db_connect_timeout,
        statement_timeout=settings.db_statement_timeout,
        data_dir=settings.data_dir,
        **kwargs,
    )


def make_engine(
    url: str,
    *,
    connect_timeout: float = CONNECT_TIMEOUT_S,
    statement_timeout: float = STATEMENT_TIMEOUT_S,
    data_dir: Path | None = None,
    **kwargs: Any,
) -> Engine:
    """An engine for ``url`` (SQLite or PostgreSQL; anything else is ``UnsupportedDatabase``).

    ``data_dir``: the only folder an SQLite URL may have created (0700); a database in any
    other folder that does not exist is ``DatabaseFolderMissing``. Without it (tests, tools
    given a bare URL) the database's own folder may be created, never its parents.
    """
    # Statement parameters are names, NIDs and sealed biometrics: they never go into an error
    # message, which may end up in a log or on the screen.
    kwargs.setdefault("hide_parameters", True)
    parsed = _supported(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, statement_timeout, data_dir, **kwargs)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    connect_args = dict(kwargs.pop("connect_args", {}))
    # libpq counts whole seconds and waits at least 2.
    connect_args.setdefault("connect_timeout", max(2, math.ceil(connect_timeout)))
    connect_args.setdefault("options", f"-c statement_timeout={_ms(statement_timeout)}")
    return _postgres_read_only(
        create_engine(parsed, pool_pre_ping=True, connect_args=connect_args, **kwargs)
    )


def _supported(url: str) -> URL:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise UnsupportedDatabase(url.partition("://")[0] or url[:20]) from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend not in SUPPORTED or (driver and driver not in SUPPORTED[backend]):
        raise UnsupportedDatabase(parsed.drivername)
    return parsed


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _sqlite_engine(
    url: URL, statement_timeout: float, data_dir: Path | None, **kwargs: Any
) -> Engine:
    database = url.database
    if database and database != ":memory:" and not url.query.get("uri"):
        _prepare_file(Path(database), data_dir)
    busy_ms = _ms(statement_timeout)
    engine = create_engine(url, connect_args={"timeout": busy_ms / 1000}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN IMMEDIATE below is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A reader takes no lock at all: in WAL it reads its snapshot while a writer works.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql(READ_ONLY_BEGIN["sqlite"])
            return
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _postgres_read_only(engine: Engine) -> Engine:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql(READ_ONLY_BEGIN["postgresql"])

    return engine


def _prepare_file(path: Path, data_dir: Path | None) -> None:
    """The database's folder (created only when it is the data folder) and, when missing, an
    empty database file of mode 0600: SQLite gives its -wal and -shm files the mode of the
    database file."""
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    if not folder.is_dir():
        ours = _same(folder, data_dir) if data_dir is not None else folder.parent.is_dir()
        if not ours and not folder.is_symlink():
            raise DatabaseFolderMissing(folder)
        # A dangling link (a share that is not mounted) is refused by mkdir, naming it.
        private_folder(folder)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        return
    os.chmod(path, PRIVATE_FILE_MODE)  # whatever the umask took away


def _same(a: Path, b: Path) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)


def timeout_refusal(exc: SQLAlchemyError) -> DatabaseTimeout | None:
    """The words for a database failure that is a timeout of ours; ``None`` for others."""
    kind = timeout_kind(exc)
    if kind == "connect":
        return DatabaseTimeout(
            "asnjë lidhje", "no connection", "ISSUANCE_DB_CONNECT_TIMEOUT"
        )  # fmt: skip
    if kind == "statement":
        return DatabaseTimeout(
            "kërkesa zgjati shumë", "the statement took too long", "ISSUANCE_DB_STATEMENT_TIMEOUT"
        )  # fmt: skip
    if kind == "locked":
        return DatabaseTimeout(
            "një tjetër shkruan në bazë", "another writer holds the database",
            "ISSUANCE_DB_STATEMENT_TIMEOUT",
        )  # fmt: skip
    return None
