"""Models and migrations stay in step; every migration can be undone and redone."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.db import migrate
from issuance.db.engine import make_engine
from issuance.db.models import Base
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor
from issuance.security.sealing import Sealer
from issuance.services import offices
from tests.conftest import TEST_KEY


def _diff(url: str) -> list:
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def test_models_and_migrations_do_not_drift(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    engine.dispose()
    assert _diff(empty_database_url) == []


def test_upgrade_downgrade_upgrade(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"applications", "audit_events", "outbox_messages", "cards"} <= tables
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert set(inspect(engine).get_table_names()) == tables
    with engine.connect() as conn:
        # The chain's head row is created by the migration itself.
        assert conn.execute(text("SELECT seq, hash FROM audit_head")).one() == (0, "0" * 64)
    engine.dispose()


def test_constraint_names_follow_the_convention(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    inspector = inspect(engine)
    assert inspector.get_pk_constraint("applications")["name"] == "pk_applications"
    fks = {fk["name"] for fk in inspector.get_foreign_keys("desks")}
    assert fks == {"fk_desks_office_id_offices"}
    engine.dispose()


# --- revision 0004: keyed audit events, normalised usernames -------------------------------


def _legacy_event(seq, prev, actor="console:tester", entity_id="1"):
    """An event as the code before revision 0004 wrote it: plain SHA-256 of this JSON."""
    at = datetime(2026, 11, 20, 8, 0, seq, tzinfo=UTC)
    fields = {"seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor,
              "action": "office.added", "entity_type": "office", "entity_id": entity_id,
              "details": {"n": seq}, "prev": prev}  # fmt: skip
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    row = {"seq": seq, "at": at, "actor": actor, "action": "office.added",
           "entity_type": "office", "entity_id": entity_id, "details": json.dumps({"n": seq}),
           "prev": prev, "hash": digest}  # fmt: skip
    return row, digest


def _write_legacy_chain(engine, count):
    prev = "0" * 64
    with engine.begin() as conn:
        for seq in range(1, count + 1):
            row, prev = _legacy_event(seq, prev)
            conn.execute(
                text("INSERT INTO audit_events (seq, at, actor, action, entity_type, entity_id, "
                     "details, prev_hash, hash) VALUES (:seq, :at, :actor, :action, "
                     ":entity_type, :entity_id, :details, :prev, :hash)"), row,
            )  # fmt: skip
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": count, "h": prev})


def _context(tmp_path, engine):
    settings = Settings(tmp_path / "data", engine.url.render_as_string(hide_password=False),
                        biometric_key=TEST_KEY)  # fmt: skip
    return Context(settings, engine, Sealer(base64.b64decode(TEST_KEY)))


def test_events_written_before_macs_still_verify_and_the_first_keyed_one_seals_them(
    empty_database_url, tmp_path
):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0003")
    _write_legacy_chain(engine, 3)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT mac_version FROM audit_events")).scalars().all() == [
            0, 0, 0
        ]  # fmt: skip
    ctx = _context(tmp_path, engine)
    console = Actor.console("tester")
    report = audit.verify(ctx, console)
    assert report.intact and report.events == 3 and report.legacy == 3
    assert report.anchored_at is None  # nothing written by this desk yet

    offices.add_office(ctx, console, code="TR", name="DRKM Tiranë", city="Tiranë")
    report = audit.verify(ctx, console)
    assert report.intact and report.events == 4 and report.legacy == 3
    assert report.anchored_at == 4

    # Rewriting the unkeyed prefix consistently breaks the link the keyed event 4 holds.
    prev = "0" * 64
    with engine.begin() as conn:
        for seq in (1, 2, 3):
            row, prev = _legacy_event(seq, prev, actor="someone-else")
            conn.execute(text("UPDATE audit_events SET actor = :actor, prev_hash = :prev, "
                              "hash = :hash WHERE seq = :seq"), row)  # fmt: skip
    report = audit.verify(ctx, console)
    assert report.broken_at == 4 and "link" in report.problem
    ctx.close()


def _operators_at_0003(engine, usernames):
    migrate.upgrade(engine, "0003")
    with engine.begin() as conn:
        for username in usernames:
            conn.execute(
                text("INSERT INTO operators (username, full_name, role, password_hash, "
                     "failed_logins, active, created_at, password_changed_at) VALUES "
                     "(:u, 'X', 'clerk', '-', 0, true, :t, :t)"),
                {"u": username, "t": datetime(2026, 11, 20, tzinfo=UTC)},
            )  # fmt: skip


def test_usernames_are_normalised_on_upgrade(empty_database_url):
    engine = make_engine(empty_database_url)
    _operators_at_0003(engine, ["Ëlira", "arta\n", "E\u0308NDRIT", "ana", "Ana2"])
    migrate.upgrade(engine)
    with engine.connect() as conn:
        names = conn.execute(text("SELECT username FROM operators ORDER BY id")).scalars().all()
    assert names == ["ëlira", "arta", "ëndrit", "ana", "ana2"]
    engine.dispose()


def test_usernames_that_collide_stop_the_upgrade_before_any_change(empty_database_url):
    engine = make_engine(empty_database_url)
    _operators_at_0003(engine, ["ëlira", "Ëlira", "e\u0308lira", "arta", "Arta "])
    with pytest.raises(IssuanceError) as refused:
        migrate.upgrade(engine)
    message = refused.value.message("en")
    assert "Rename one of them" in message and "'Ëlira'" in message and "'Arta '" in message
    assert "riemërtoni" in refused.value.message("sq").lower()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"
        names = conn.execute(text("SELECT username FROM operators ORDER BY id")).scalars().all()
        assert "mac_version" not in {c["name"] for c in inspect(conn).get_columns("audit_events")}
    assert names == ["ëlira", "Ëlira", "e\u0308lira", "arta", "Arta "]
    engine.dispose()


# --- revision 0005: a card's life (one held and one waiting per person) ----------------------


def _cards_of_one_person(tmp_path, engine, monkeypatch):
    """At 0005: one person with a spoiled blank and a card in their hands (and its ids)."""
    from datetime import date

    from argon2 import PasswordHasher

    from issuance.db.models import Application, Card
    from issuance.security import passwords
    from issuance.services import batches
    from tests.support.world import build_world, enrol_complete

    monkeypatch.setattr(
        passwords, "hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    # Made through today's models at the newest revision, then taken back to 0005.
    migrate.upgrade(engine)
    ctx = _context(tmp_path, engine)
    world = build_world(ctx, Actor.console("tester"))
    application_id = enrol_complete(ctx, world.clerk)
    batches.approve(ctx, world.supervisor, application_id)
    with ctx.uow() as uow:
        applicant_id = uow.session.get(Application, application_id).applicant_id
        for number, status in (("TR0000001", "spoiled"), ("TR0000002", "handed_over")):
            uow.session.add(Card(
                application_id=application_id, applicant_id=applicant_id,
                document_number=number, status=status, issued_on=date(2026, 11, 20),
                expires_on=date(2028, 1, 1), operator_id=world.card_operator.operator_id,
                spoiled_reason="The card was removed." if status == "spoiled" else None,
            ))  # fmt: skip
        uow.commit()
    ctx.engine.dispose()
    migrate.downgrade(engine, "0005")
    return ctx, application_id, applicant_id, world.card_operator.operator_id


def test_0005_keeps_spoiled_reasons_in_words_and_undoes_cleanly(
    empty_database_url, tmp_path, monkeypatch
):
    engine = make_engine(empty_database_url)
    ctx, *_ = _cards_of_one_person(tmp_path, engine, monkeypatch)
    migrate.downgrade(engine, "0004")
    with engine.begin() as conn:
        # As 0004's code wrote reasons: the failure's kind, then the words.
        conn.execute(text("UPDATE cards SET spoiled_reason = 'CardRemoved: The card was "
                          "removed.' WHERE status = 'spoiled'"))  # fmt: skip
    migrate.upgrade(engine, "0005")
    with engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT spoiled_reason FROM cards WHERE status = 'spoiled'")
            ).scalar_one()
            == "The card was removed."
        )
        assert "card_replacements" in inspect(conn).get_table_names()
    ctx.close()
    engine.dispose()


def test_0005_downgrade_stops_when_a_person_holds_a_card_and_another_waits(
    empty_database_url, tmp_path, monkeypatch
):
    from datetime import date

    from issuance.db.models import Card

    engine = make_engine(empty_database_url)
    ctx, application_id, applicant_id, operator_id = _cards_of_one_person(
        tmp_path, engine, monkeypatch
    )
    with ctx.uow() as uow:  # a renewal card made while the old one is still held: allowed
        uow.session.add(Card(
            application_id=application_id, applicant_id=applicant_id, document_number="TR0000003",
            status="produced", issued_on=date(2026, 11, 21), expires_on=date(2029, 1, 1),
            operator_id=operator_id,
        ))  # fmt: skip
        uow.commit()
    with pytest.raises(IssuanceError) as refused:
        migrate.downgrade(engine, "0004")
    assert "TR0000002 + TR0000003" in refused.value.message("en")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
    with engine.begin() as conn:
        conn.execute(text("UPDATE cards SET status = 'superseded' WHERE document_number = "
                          "'TR0000002'"))  # fmt: skip
    migrate.downgrade(engine, "0004")
    with engine.connect() as conn:
        names = {i["name"] for i in inspect(conn).get_indexes("cards")}
        assert "uq_cards_one_valid_per_applicant" in names
        assert "card_replacements" not in inspect(conn).get_table_names()
    ctx.close()
    engine.dispose()
