"""Wires settings, database, key and clock into one ``Context`` the services receive.

Nothing is global: the desk, the CLI and every test build their own context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from issuance.config import Settings, load_settings
from issuance.db import migrate
from issuance.db.base import utcnow
from issuance.db.engine import READ_ONLY, engine_for
from issuance.db.uow import Readers, ReadUnitOfWork, UnitOfWork, refuse_commit
from issuance.ports.devices import DeviceFactory
from issuance.security import audit
from issuance.security.sealing import Sealer, load_key


@dataclass
class Context:
    settings: Settings
    engine: Engine
    sealer: Sealer
    clock: Callable[[], datetime] = utcnow
    # The entry point's device factory; None where no device is used (server-side commands).
    devices: DeviceFactory | None = None
    _sessions: sessionmaker[Session] = field(init=False, repr=False)
    _read_engine: Engine = field(init=False, repr=False)
    _read_sessions: sessionmaker[Session] = field(init=False, repr=False)
    _readers: Readers | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Every session carries the audit trail's key and checkpoint file: audit.record and
        # audit.verify_chain take them from the session they are given.
        anchor = audit.Anchor.for_desk(self.settings, self.sealer)
        self._sessions = sessionmaker(
            self.engine, expire_on_commit=False, info={audit.ANCHOR_INFO: anchor}
        )
        # Read-only units of work: their connections carry the engine's READ_ONLY option (no
        # write lock on SQLite, READ ONLY on PostgreSQL), and their sessions refuse to commit.
        self._read_engine = self.engine.execution_options(**{READ_ONLY: True})
        self._read_sessions = sessionmaker(
            self._read_engine, expire_on_commit=False, info={audit.ANCHOR_INFO: anchor}
        )
        event.listen(self._read_sessions, "before_commit", refuse_commit)
        # SQLite: the hottest reads (search) keep their driver connections between units of work.
        # (A database file: an in-memory one lives in its only connection, which stays pooled.)
        sqlite_file = self.engine.url.get_backend_name() == "sqlite" and isinstance(
            self.engine.pool, QueuePool
        )
        self._readers = Readers(self.engine) if sqlite_file else None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions)

    def read(self, *, snapshot: bool = True) -> ReadUnitOfWork:
        """A read-only unit of work, for read models and queries: it never waits for a
        writer (SQLite) and refuses to write (PostgreSQL; and it never commits).

        ``snapshot=False``: its ``rows`` statements need not see one snapshot (each is a
        question of its own), so on SQLite each one is its own read transaction."""
        return ReadUnitOfWork(self._read_engine, self._read_sessions, self._readers, snapshot)

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None,
    *,
    migrate_to_head: bool = True,
    clock: Callable[[], datetime] = utcnow,
    devices: DeviceFactory | None = None,
) -> Context:
    settings = settings or load_settings()
    engine = engine_for(settings)
    if migrate_to_head:
        migrate.upgrade(engine)
    sealer = Sealer(load_key(settings))
    return Context(settings=settings, engine=engine, sealer=sealer, clock=clock, devices=devices)
