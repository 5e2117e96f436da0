"""``issuance stock receive|status|void|warn-below`` and ``issuance office nid-block`` run in
this process against a database on each backend."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from issuance.db.models import AuditEvent
from issuance.services import offices, stock
from tests.support.cli_in_process import assert_refused, context_environment, run_in_process


@pytest.fixture
def issuance(monkeypatch, capsys, ctx, console):
    offices.add_office(ctx, console, code="TR", name="DRKM Tiranë", city="Tiranë")
    offices.add_office(ctx, console, code="DR", name="DRKM Durrës", city="Durrës")
    env = context_environment(ctx)
    return lambda *args: run_in_process(monkeypatch, capsys, env, *args)


def test_a_box_is_received_and_the_stock_reported(ctx, console, issuance):
    none = issuance("stock", "status", "--office", "TR")
    assert none.returncode == 0
    assert none.stdout == "office TR: no box received yet (no blank stock kept)\n"
    done = issuance("stock", "receive", "--office", "TR", "--from", "AL0001", "--to", "AL0060")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "received 60 blanks AL0001-AL0060 into office TR; 60 in stock\n"
    enough = issuance("stock", "status", "--office", "TR")
    assert enough.returncode == 0
    assert enough.stdout == (
        "office TR: 60 blanks in stock, warning below 50; next serial AL0001\n"
    )
    assert issuance("stock", "warn-below", "--office", "TR", "61").returncode == 0
    low = issuance("stock", "status", "--office", "TR")
    assert low.returncode == 1 and "LOW: fewer than 61 blanks in stock" in low.stdout
    voided = issuance("stock", "void", "al0001", "--reason", "cracked  corner")
    assert voided.returncode == 0 and voided.stdout == "blank AL0001 voided: cracked corner\n"
    assert stock.stock_status(ctx, console, "TR").next_serial == "AL0002"
    with ctx.read() as uow:
        actors = set(
            uow.session.execute(
                select(AuditEvent.actor).where(AuditEvent.action.like("stock.%"))
            ).scalars()
        )
    assert len(actors) == 1 and actors.pop().startswith("console:")


def test_stock_refusals_are_one_line_and_change_nothing(ctx, console, issuance):
    issuance("stock", "receive", "--office", "TR", "--from", "AL0001", "--to", "AL0010")
    assert_refused(
        issuance("stock", "receive", "--office", "DR", "--from", "AL0005", "--to", "AL0020"),
        "6 serials of this range were received already (AL0005, AL0006, AL0007 …)",
    )
    assert_refused(
        issuance("stock", "receive", "--office", "TR", "--from", "AL0020", "--to", "AL00021"),
        "same number of digits",
    )
    assert_refused(
        issuance("stock", "receive", "--office", "ZZ", "--from", "AL0020", "--to", "AL0021"),
        "Office 'ZZ' does not exist",
    )
    assert_refused(issuance("stock", "void", "AL0099", "--reason", "x"), "No blank with serial")
    assert_refused(issuance("stock", "warn-below", "--office", "TR", "-3"), "not valid")
    assert stock.stock_status(ctx, console, "DR").in_stock == 0
    status = stock.stock_status(ctx, console, "TR")
    assert (status.in_stock, status.warning_level) == (10, 50)


def test_office_nid_block_is_set_printed_and_never_overlaps(ctx, console, issuance):
    shown = issuance("office", "nid-block", "TR")
    assert shown.returncode == 0 and shown.stdout == "office TR: no NID block (serials 001-999)\n"
    done = issuance("office", "nid-block", "TR", "--from", "1", "--to", "111")
    assert done.returncode == 0 and done.stdout == "office TR: NID serials 001-111\n"
    assert_refused(
        issuance("office", "nid-block", "DR", "--from", "100", "--to", "222"),
        "overlaps office 'TR''s block (001–111)",
    )
    assert_refused(
        issuance("office", "nid-block", "DR", "--from", "300", "--to", "1000"), "1 to 999"
    )
    half = issuance("office", "nid-block", "DR", "--from", "300")
    assert half.returncode == 2 and "give both --from and --to" in half.stderr
    assert offices.nid_block_of(ctx, console, "DR") is None
