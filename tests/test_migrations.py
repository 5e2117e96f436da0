"""Models and migrations stay in step; every migration can be undone and redone."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from issuance.db import migrate
from issuance.db.engine import make_engine
from issuance.models import Base


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
