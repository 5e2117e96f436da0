"""Unit of work: one database transaction per use case; nothing half-done survives an error."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, Select, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from issuance.db.engine import READ_ONLY_BEGIN


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not committed explicitly is rolled back: an error mid-way leaves no trace.
        # close() rolls back without expiring, so objects read here stay usable by the caller.
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


class ReadUnitOfWork:
    """A read-only transaction (``Context.read``) for read models and queries: it takes no
    write lock on SQLite and refuses writes on PostgreSQL (the engine's ``READ_ONLY``
    execution option, set on ``engine``), and it never commits: whatever happens in it, by
    mistake, ends with it.

    Nothing is opened before it is used: ``connection`` is the transaction's Core connection
    (for queries that want rows), ``session`` an ORM session on that same connection; ``rows``
    runs statements straight on the driver's cursor instead, for the hottest reads (search),
    and is not to be mixed with the other two in one unit of work."""

    def __init__(
        self,
        engine: Engine,
        session_factory: sessionmaker[Session],
        readers: Readers | None = None,
        snapshot: bool = True,
    ) -> None:
        self._engine = engine
        self._session_factory = session_factory
        self._readers = readers
        self._snapshot = snapshot
        self._connection: Connection | None = None
        self._session: Session | None = None
        self._driver: Any = None  # the DB-API connection of ``rows``
        self._cursor: Any = None

    def __enter__(self) -> ReadUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None
        if self._connection is not None:
            self._connection.close()  # rolls the read transaction back
            self._connection = None
        if self._driver is not None:
            driver, self._driver, self._cursor = self._driver, None, None
            if self._readers is None:
                try:
                    driver.rollback()
                finally:
                    driver.close()  # back to the pool
            else:
                self._readers.give_back(driver, failed=exc_type is not None)

    @property
    def connection(self) -> Connection:
        if self._driver is not None:
            raise RuntimeError("this unit of work reads through rows(); use one or the other")
        if self._connection is None:
            connection = self._engine.connect()
            connection.begin()
            self._connection = connection
        return self._connection

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = self._session_factory(bind=self.connection)
        return self._session

    def rows(self, statement: Select[*tuple[Any, ...]], params: Mapping[str, Any]) -> list[Any]:
        """The rows (plain tuples) of ``statement`` with ``params``, executed on the driver's
        cursor in this unit of work's read-only transaction: no per-call compiling, events
        or result objects. ``statement`` must be built once (module level) and its columns
        and parameters must need no conversion (integers, strings; refused otherwise).
        A database error is raised as from a ``Connection`` (``DBAPIError``, parameters
        hidden)."""
        if self._connection is not None:
            raise RuntimeError("this unit of work reads through connection; use one or the other")
        dialect = self._engine.dialect
        sql, names, defaults = _driver_sql(statement, dialect)
        if self._driver is None:
            if self._readers is None:
                self._driver = self._engine.raw_connection()
                self._cursor = self._driver.cursor()
            else:
                self._driver = reader = self._readers.take()
                self._cursor = reader.cursor
            # SQLite without a snapshot: every statement alone is its own read transaction.
            if self._snapshot or self._readers is None:
                self._execute(dialect, READ_ONLY_BEGIN[dialect.name], ())
        values = [params[n] if n in params else defaults[n] for n in names]
        args = values if dialect.positional else dict(zip(names, values, strict=True))
        self._execute(dialect, sql, args)
        return self._cursor.fetchall()

    def _execute(self, dialect: Dialect, sql: str, args: Any) -> None:
        try:
            self._cursor.execute(sql, args)
        except dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                sql, None, exc, dialect.loaded_dbapi.Error, hide_parameters=True, dialect=dialect
            ) from exc


class Readers:
    """The SQLite driver connections of ``ReadUnitOfWork.rows``, kept open between units of
    work (``Context.read`` on SQLite): taking one is a ``pop`` from the idle ones, not a pool
    checkout and reset (a third of a search's time). No lock is shared: ``deque`` pops and
    appends are atomic, a thread that finds none idle opens its own, and at most ``keep``
    stay open idle (the others are closed when given back). A connection whose unit of work
    failed is closed, never reused; ``Engine.dispose`` (and ``Context.close``) closes them all.

    They come from the engine (its ``connect`` settings: WAL, foreign keys, busy timeout) and
    are detached from its pool, whose size they do not take. PostgreSQL keeps the pool: its
    pre-ping finds a connection the server dropped, and a round trip dwarfs a checkout."""

    def __init__(self, engine: Engine, keep: int = 4) -> None:
        self._engine = engine
        self._keep = keep
        self._idle: deque[_Reader] = deque()
        self._generation = 0  # one more at every close: connections of before are not kept
        event.listen(engine, "engine_disposed", lambda _engine: self.close())

    def take(self) -> _Reader:
        try:
            return self._idle.pop()
        except IndexError:
            connection = self._engine.raw_connection()
            connection.detach()  # ours now: closing it closes the driver's connection
            driver: Any = connection.dbapi_connection
            return _Reader(connection, driver, driver.cursor(), self._generation)

    def give_back(self, reader: _Reader, *, failed: bool = False) -> None:
        try:
            reader.driver.rollback()  # ends the read transaction: the next one sees new writes
        except Exception:
            reader.connection.close()
            raise
        if failed or reader.generation != self._generation or len(self._idle) >= self._keep:
            reader.connection.close()
        else:
            self._idle.append(reader)

    def close(self) -> None:
        self._generation += 1
        while True:
            try:
                self._idle.pop().connection.close()
            except IndexError:
                return


@dataclass(slots=True)
class _Reader:
    connection: Any  # the pool's connection, detached
    driver: Any  # its DB-API connection
    cursor: Any  # kept with it
    generation: int


# (statement, backend) -> the driver's SQL, its parameters' names in order, and the values of
# the parameters the statement fixes itself (``column + 0``).
_COMPILED: dict[tuple[int, str], tuple[str, tuple[str, ...], dict[str, Any]]] = {}
# The statements _COMPILED is keyed by (their ids stay theirs).
_KEEP: list[Select[*tuple[Any, ...]]] = []


def _driver_sql(
    statement: Select[*tuple[Any, ...]], dialect: Dialect
) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    key = (id(statement), dialect.name)
    found = _COMPILED.get(key)
    if found is not None:
        return found
    compiled = statement.compile(dialect=dialect)
    for bind in compiled.binds.values():
        if bind.type._cached_bind_processor(dialect) is not None:
            raise ValueError(f"parameter {bind.key} needs conversion: use connection")
    for column in compiled._result_columns:
        if column[3]._cached_result_processor(dialect, None) is not None:
            raise ValueError(f"column {column[0]} needs conversion: use connection")
    if dialect.positional:
        names = tuple(compiled.positiontup or ())
    else:
        names = tuple(compiled.bind_names.values())
    binds = compiled.binds.values()
    defaults = {compiled.bind_names[b]: b.value for b in binds if not b.required}
    found = (str(compiled), names, defaults)
    _KEEP.append(statement)
    _COMPILED[key] = found
    return found


class ReadOnlyCommit(RuntimeError):
    """A read-only unit of work was asked to commit: a write slipped into a read model."""


def refuse_commit(session: Session) -> None:
    """``before_commit`` listener of read-only sessions."""
    raise ReadOnlyCommit("a read-only unit of work never commits: use Context.uow() to write")
