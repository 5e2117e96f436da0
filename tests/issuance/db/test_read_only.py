"""Reads never take the write lock: read models and queries run in read-only units of work
(``Context.read``), which answer while another desk (or the outbox thread) holds a write
transaction, and which refuse to write."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from issuance.bootstrap import Context
from issuance.db.engine import make_engine
from issuance.db.models import Office
from issuance.db.uow import ReadOnlyCommit
from issuance.queries import (
    admin as admin_queries,
)
from issuance.queries import (
    batches as batch_queries,
)
from issuance.queries import (
    cards as card_queries,
)
from issuance.queries import (
    enrolment as enrolment_queries,
)
from issuance.queries import (
    search,
)
from issuance.security import audit
from tests.support.world import World, build_world, enrol_complete

# Long enough for any read on a loaded machine, short enough that a read which waited for
# the writer's lock fails quickly instead of after the default 30 s.
LOCK_WAIT_S = 2.0
_OFFICE_ROW = (
    "INSERT INTO offices (code, name, city, created_at) "
    "VALUES ('ZZ', 'Zyra e shkrimit', 'Tiranë', '2026-11-23 09:00:00+00:00')"
)


@pytest.fixture
def world(ctx: Context, console) -> tuple[World, int]:
    built = build_world(ctx, console)
    return built, enrol_complete(ctx, built.clerk)


@pytest.fixture
def impatient(ctx: Context) -> Iterator[Context]:
    """The same database and key as ``ctx``, waiting at most LOCK_WAIT_S for a lock."""
    context = Context(
        settings=ctx.settings,
        engine=make_engine(ctx.settings.database_url, statement_timeout=LOCK_WAIT_S),
        sealer=ctx.sealer,
        clock=ctx.clock,
    )
    yield context
    context.close()


@pytest.fixture
def writer(ctx: Context) -> Iterator[Any]:
    """Another connection holding a write transaction (an uncommitted INSERT)."""
    url = ctx.engine.url
    if url.get_backend_name() == "sqlite":
        connection: Any = sqlite3.connect(url.database, isolation_level=None, timeout=0)
        connection.execute("BEGIN IMMEDIATE")
    else:
        connection = psycopg.connect(
            url.set(drivername="postgresql").render_as_string(hide_password=False)
        )  # psycopg opens the transaction itself
    connection.execute(_OFFICE_ROW)
    yield connection
    connection.rollback()
    connection.close()


READS: dict[str, Callable[[Context, World, int], object]] = {
    "search": lambda c, w, app: search.search(c, w.clerk, "Cela"),
    "search by identifier": lambda c, w, app: search.search(c, w.clerk, "X1234567"),
    "admin_queries.list_offices": lambda c, w, app: admin_queries.list_offices(c, w.administrator),
    "batch_queries.open_batches": lambda c, w, app: batch_queries.open_batches(c, w.supervisor),
    "card_queries.waiting_for_card": lambda c, w, app: card_queries.waiting_for_card(
        c, w.card_operator
    ),
    "card_queries.spoiled_cards": lambda c, w, app: card_queries.spoiled_cards(c, w.card_operator),
    "card_queries.ready_for_handover": lambda c, w, app: card_queries.ready_for_handover(
        c, w.card_operator
    ),
    "enrolment_queries.my_drafts": lambda c, w, app: enrolment_queries.my_drafts(c, w.clerk),
    "enrolment_queries.todays_submissions": lambda c, w, app: enrolment_queries.todays_submissions(
        c, w.clerk
    ),
    "enrolment_queries.application_summary": lambda c, w, app: (
        enrolment_queries.application_summary(c, w.clerk, app, with_images=False)
    ),
    "audit.history": lambda c, w, app: audit.history(c, w.supervisor, "application", app),
    "audit.verify": lambda c, w, app: audit.verify(c, w.administrator),
}


@pytest.mark.parametrize("read", READS, ids=list(READS))
def test_reads_answer_while_another_connection_writes(ctx, world, impatient, writer, read):
    built, application_id = world
    answer = READS[read](impatient, built, application_id)
    assert answer is not None
    if read == "search":
        assert [hit.application_id for hit in answer] == [application_id]  # type: ignore[attr-defined]
    if read == "audit.verify":
        assert answer.intact  # type: ignore[attr-defined]


# SQLite only: PostgreSQL writers lock rows, not the database.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_writer_really_holds_the_lock(ctx, world, impatient, writer):
    """The other side of the test above: a writing unit of work does wait for the writer
    (on SQLite, BEGIN IMMEDIATE gives up after the statement timeout)."""
    with impatient.uow() as uow, pytest.raises(OperationalError, match="locked"):
        uow.session.execute(select(1))


def test_a_read_only_unit_of_work_never_writes(ctx):
    before = ctx.engine.connect()
    with before:
        offices = before.scalar(select(func.count(Office.id)))
    row = {"code": "ZZ", "name": "Zyra", "city": "Tiranë", "created_at": ctx.clock()}
    postgres = ctx.engine.url.get_backend_name() == "postgresql"
    with ctx.read() as uow:
        if postgres:
            # Refused by the database itself: the transaction is READ ONLY.
            with pytest.raises(DBAPIError, match="read-only transaction"):
                uow.session.execute(insert(Office), [row])
        else:
            uow.session.execute(insert(Office), [row])
            # Never committed: the session refuses, and closing rolls the write back.
            with pytest.raises(ReadOnlyCommit):
                uow.session.commit()
    with ctx.engine.connect() as after:
        assert after.scalar(select(func.count(Office.id))) == offices


# PostgreSQL only: SQLite has no read-only transactions (its session never commits instead).
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_read_only_unit_of_work_refuses_raw_writes_on_postgresql(ctx):
    with ctx.read() as uow, pytest.raises(DBAPIError, match="read-only transaction"):
        uow.connection.execute(text("UPDATE offices SET name = name"))
    with ctx.read() as uow:
        level = uow.connection.exec_driver_sql("SHOW transaction_isolation").scalar()
        assert level == "repeatable read"


def test_writing_units_of_work_still_write(ctx):
    # The read-only option stays on the read units of work's connections only (the engine's
    # pool hands the same connections to writers afterwards).
    with ctx.read() as uow:
        uow.session.execute(select(1))
    with ctx.uow() as uow:
        uow.session.add(Office(code="ZY", name="Zyra", city="Tiranë", created_at=ctx.clock()))
        uow.commit()
    with ctx.read() as uow:
        assert uow.session.scalar(select(Office.code).where(Office.code == "ZY")) == "ZY"
