"""Revision 0006 on SQLite and PostgreSQL: offices kept from before have no NID block (they
give from the whole range, as before) and no stock; the database itself refuses a block outside
001–999; it undoes cleanly with boxes, blanks and blocks in it, and the offices stay."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from issuance.db import migrate
from issuance.db.engine import make_engine

TABLES = {"nid_blocks", "blank_boxes", "blanks", "blank_stock_levels"}
NOW = "2026-12-05 08:00:00+00:00"


def _run(engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_0006_adds_the_stock_and_the_blocks_and_undoes_cleanly(empty_database_url):
    engine = make_engine(empty_database_url)
    try:
        migrate.upgrade(engine, "0005")
        _run(engine, "INSERT INTO offices (id, code, name, city, created_at) "
                     f"VALUES (1, 'TR', 'DRKM Tiranë', 'Tiranë', '{NOW}')")  # fmt: skip
        migrate.upgrade(engine, "0006")
        assert TABLES <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM nid_blocks")).scalar_one() == 0
        for first, last in ((0, 10), (10, 1000), (20, 19)):
            with pytest.raises(IntegrityError):
                _run(engine, "INSERT INTO nid_blocks (office_id, first_serial, last_serial, "
                             f"assigned_at, assigned_by) VALUES (1, {first}, {last}, '{NOW}', "
                             "'console:t')")  # fmt: skip
        _run(
            engine,
            "INSERT INTO nid_blocks (office_id, first_serial, last_serial, assigned_at, "
            f"assigned_by) VALUES (1, 1, 111, '{NOW}', 'console:t')",
            "INSERT INTO blank_boxes (id, office_id, first_serial, last_serial, count, "
            f"received_at, received_by) VALUES (1, 1, 'A0001', 'A0002', 2, '{NOW}', 'console:t')",
            "INSERT INTO blanks (box_id, office_id, serial, state) VALUES "
            "(1, 1, 'A0001', 'in_stock'), (1, 1, 'A0002', 'voided')",
            "INSERT INTO blank_stock_levels (office_id, warning_level, changed_at, changed_by) "
            f"VALUES (1, 10, '{NOW}', 'console:t')",
        )
        with pytest.raises(IntegrityError):  # a serial exists once
            _run(engine, "INSERT INTO blanks (box_id, office_id, serial, state) "
                         "VALUES (1, 1, 'A0001', 'in_stock')")  # fmt: skip
        migrate.downgrade(engine, "0005")
        assert not TABLES & set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT code FROM offices")).scalars().all() == ["TR"]
        migrate.upgrade(engine, "0006")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM blanks")).scalar_one() == 0
    finally:
        engine.dispose()
