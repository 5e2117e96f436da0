"""Wires settings, database, key and clock into one ``Context`` the services receive.

Nothing is global: the desk, the CLI and every test build their own context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from issuance import audit
from issuance.config import Settings, load_settings
from issuance.db import migrate
from issuance.db.base import utcnow
from issuance.db.engine import engine_for
from issuance.db.uow import UnitOfWork
from issuance.sealing import Sealer, load_key


@dataclass
class Context:
    settings: Settings
    engine: Engine
    sealer: Sealer
    clock: Callable[[], datetime] = utcnow
    _sessions: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Every session carries the audit trail's key and checkpoint file: audit.record and
        # audit.verify_chain take them from the session they are given.
        anchor = audit.Anchor.for_desk(self.settings, self.sealer)
        self._sessions = sessionmaker(
            self.engine, expire_on_commit=False, info={audit.ANCHOR_INFO: anchor}
        )

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions)

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None,
    *,
    migrate_to_head: bool = True,
    clock: Callable[[], datetime] = utcnow,
) -> Context:
    settings = settings or load_settings()
    engine = engine_for(settings)
    if migrate_to_head:
        migrate.upgrade(engine)
    return Context(settings=settings, engine=engine, sealer=Sealer(load_key(settings)), clock=clock)
