"""SQLite is configured for durability; PostgreSQL is reached through psycopg 3."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from issuance.db.engine import make_engine
from issuance.db.models import Desk


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_foreign_keys_are_enforced(ctx):
    with ctx.uow() as uow, pytest.raises(IntegrityError):
        uow.session.add(Desk(office_id=999, name="ghost", kind="enrolment"))
        uow.session.flush()


def test_database_errors_never_quote_the_values(ctx):
    # A refused row's values (names, NIDs) must not reach the message a log or a screen shows.
    with ctx.uow() as uow, pytest.raises(IntegrityError) as refused:
        uow.session.add(Desk(office_id=999, name="Sportel i Ëndrit Çelës", kind="enrolment"))
        uow.session.flush()
    assert "Ëndrit" not in str(refused.value)
    assert "hidden" in str(refused.value)


def test_postgresql_url_uses_psycopg3():
    engine = make_engine("postgresql://u@127.0.0.1:1/db")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_sqlite_readers_take_no_lock_writers_take_the_write_lock(tmp_path):
    import sqlite3

    from issuance.db.engine import READ_ONLY

    path = tmp_path / "x.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        # A read-only connection's transaction is a plain deferred BEGIN: another writer
        # gets the write lock while it is open, and it reads on regardless.
        with engine.connect().execution_options(**{READ_ONLY: True}) as reader, reader.begin():
            assert reader.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO t VALUES (1)")
            assert reader.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
            other.rollback()
        # Any other transaction begins IMMEDIATE: it holds the write lock from the start.
        with engine.connect() as writer, writer.begin():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        engine.dispose()
