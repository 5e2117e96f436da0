"""Unit of work: one database transaction per use case; nothing half-done survives an error."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker


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
