"""Revision 0007 on SQLite and PostgreSQL: applications closed before it get the time they were
closed (a rejection's decision, a card's handover, else the last update), so retention counts
from the right day; it undoes cleanly with applications, captures and cards in the database."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime

from sqlalchemy import inspect, text

from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.db import migrate
from issuance.db.engine import make_engine
from issuance.db.models import Application, Card
from issuance.domain.workflow import State
from issuance.security.permissions import Actor
from issuance.security.sealing import Sealer
from issuance.services import applications, batches
from tests.conftest import TEST_KEY, Clock
from tests.support.world import build_world, enrol_complete

COLUMNS = {"closed_at", "biometrics_purged_at", "privacy_notice_version",
           "privacy_notice_acknowledged_at", "privacy_notice_acknowledged_by"}  # fmt: skip


def _rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def _utc(value) -> datetime:
    if isinstance(value, str):  # SQLite hands the stored text back through a raw query
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_closed_applications_get_their_closing_time_and_it_undoes_cleanly(
    empty_database_url, tmp_path
):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    clock = Clock()
    settings = Settings(tmp_path / "data", empty_database_url, biometric_key=TEST_KEY)
    ctx = Context(settings, engine, Sealer(base64.b64decode(TEST_KEY)), clock=clock)
    world = build_world(ctx, Actor.console("tester"))
    rejected = enrol_complete(ctx, world.clerk, coupon="PS-0001")
    clock.advance(hours=1)
    batches.reject(ctx, world.supervisor, rejected, "forged permit")
    handed = enrol_complete(ctx, world.clerk, coupon="PS-0002", permit_number="LQ7654321",
                            passport_number="P7654321")  # fmt: skip
    batches.approve(ctx, world.supervisor, handed)
    applications.transition(ctx, world.card_operator, handed, State.CARD_PRODUCED)
    with ctx.uow() as uow:
        uow.session.add(Card(
            application_id=handed, applicant_id=uow.session.get(Application, handed).applicant_id,
            document_number="TR0000001", status="handed_over", issued_on=date(2026, 11, 23),
            expires_on=date(2028, 1, 1), operator_id=world.card_operator.operator_id,
            handed_over_at=datetime(2026, 11, 24, 15, 30, tzinfo=UTC),
        ))  # fmt: skip
        uow.commit()
    applications.transition(ctx, Actor.system("test"), handed, State.REGISTERED)
    applications.transition(ctx, world.card_operator, handed, State.HANDED_OVER)
    cancelled = enrol_complete(ctx, world.clerk, coupon="PS-0003", permit_number="LQ1111111",
                               passport_number="P1111111")  # fmt: skip
    applications.cancel(ctx, world.supervisor, cancelled, "applicant withdrew")
    still_open = enrol_complete(ctx, world.clerk, coupon="PS-0004", permit_number="LQ2222222",
                                passport_number="P2222222")  # fmt: skip
    ctx.engine.dispose()

    migrate.downgrade(engine, "0005")
    with engine.connect() as conn:
        names = {c["name"] for c in inspect(conn).get_columns("applications")}
    assert not names & COLUMNS
    assert _rows(engine, "SELECT count(*) FROM biometric_captures") == [(44,)]

    migrate.upgrade(engine)
    closed = {
        row[0]: row[1:]
        for row in _rows(
            engine,
            "SELECT id, closed_at, decided_at, updated_at, "
            "privacy_notice_version FROM applications",
        )  # fmt: skip
    }
    assert _utc(closed[rejected][0]) == _utc(closed[rejected][1]) == clock()
    assert _utc(closed[handed][0]) == datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    assert _utc(closed[cancelled][0]) == _utc(closed[cancelled][2])
    assert closed[still_open][0] is None
    # The acceptances recorded before the downgrade are gone with their columns.
    assert {row[3] for row in closed.values()} == {None}
    engine.dispose()
