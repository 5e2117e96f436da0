"""Every card production accounts for a blank by its serial: consumed by the card, spoiled with
it, back in stock when its run never started, and no card without a blank once the office
keeps stock (issue 17, item 2)."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import func, select

from devices.card_printer import open_card_printer
from devtools.virtual_card.simulated import applet_station
from issuance.db.models import AuditEvent, Blank, Card, Sequence
from issuance.ports.card_printer_errors import PrinterPaused
from issuance.services import cards, stock
from tests.issuance.services.cards.conftest import approved
from tests.support.keys import desk_keys


def _produce(ctx, world, application_id, printer, pki, signer=None):
    return cards.produce_card(
        ctx, world.card_operator, application_id, printer=printer, station=applet_station(),
        signer=signer or pki.signer(), csca=pki.csca_certificate,
    )  # fmt: skip


def _blanks(ctx) -> list[tuple[str, str, str | None]]:
    """(serial, state, document number of its card)."""
    with ctx.read() as uow:
        rows = uow.session.execute(
            select(Blank.serial, Blank.state, Card.document_number)
            .outerjoin(Card, Card.id == Blank.card_id)
            .order_by(Blank.serial)
        ).all()
    return [tuple(row) for row in rows]


def _last_event(ctx, action: str) -> dict:
    with ctx.read() as uow:
        return uow.session.execute(
            select(AuditEvent.details).where(AuditEvent.action == action)
            .order_by(AuditEvent.seq.desc()).limit(1)
        ).scalar_one()  # fmt: skip


def test_a_produced_card_consumes_the_lowest_serial_in_stock(ctx, world, folder_printer, pki):
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="AL0020", last="AL0022")
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="AL0010", last="AL0011")
    application_id, _ = approved(ctx, world)
    produced = _produce(ctx, world, application_id, folder_printer, pki)
    assert produced.blank_serial == "AL0010"
    assert _blanks(ctx)[0] == ("AL0010", "consumed", produced.document_number)
    assert [state for _, state, _ in _blanks(ctx)[1:]] == ["in_stock"] * 4
    assert _last_event(ctx, "card.production_started")["blank"] == "AL0010"
    status = stock.stock_status(ctx, world.card_operator, "TR")
    assert (status.in_stock, status.next_serial) == (4, "AL0011")


def test_a_failed_card_spoils_its_blank_and_the_next_takes_the_next_serial(
    ctx, world, folder_printer, pki, tmp_path
):
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="AL0001", last="AL0003")
    application_id, _ = approved(ctx, world)
    stranger = desk_keys(tmp_path / "other-pki")  # a signer our CSCA never issued
    with pytest.raises(cards.CardSpoiled) as caught:
        _produce(ctx, world, application_id, folder_printer, pki, signer=stranger.signer())
    spoiled_number = caught.value.document_number
    assert _blanks(ctx)[0] == ("AL0001", "spoiled", spoiled_number)
    assert _last_event(ctx, "card.spoiled")["blank"] == "AL0001"
    produced = _produce(ctx, world, application_id, folder_printer, pki)
    assert _blanks(ctx) == [
        ("AL0001", "spoiled", spoiled_number),
        ("AL0002", "consumed", produced.document_number),
        ("AL0003", "in_stock", None),
    ]
    # A produced card found misprinted before its handover: its blank is spoiled too.
    cards.spoil_card(ctx, world.card_operator, produced.document_number, "ink smeared")
    assert _blanks(ctx)[1] == ("AL0002", "spoiled", produced.document_number)
    with ctx.read() as uow:
        reason = select(Blank.reason).where(Blank.serial == "AL0002")
        assert uow.session.execute(reason).scalar_one() == "ink smeared"


def test_a_run_that_never_started_puts_its_blank_back(ctx, world, queue_state, blank_card, pki):
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="AL0001", last="AL0002")
    application_id, _ = approved(ctx, world)
    printer = open_card_printer(f"cups:{queue_state.queue}")
    subprocess.run(["cupsdisable", queue_state.queue], check=True)
    try:
        with pytest.raises(PrinterPaused):
            _produce(ctx, world, application_id, printer, pki)
    finally:
        printer.close()
        subprocess.run(["cupsenable", queue_state.queue], check=True)
    assert _blanks(ctx) == [("AL0001", "in_stock", None), ("AL0002", "in_stock", None)]
    assert _last_event(ctx, "card.voided")["blank_returned"] == "AL0001"
    assert stock.stock_status(ctx, world.card_operator, "TR").next_serial == "AL0001"


def test_no_blank_in_stock_stops_production_before_a_number_is_drawn(
    ctx, world, folder_printer, pki
):
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="AL0001", last="AL0001")
    stock.void_blank(ctx, world.supervisor, "AL0001", "cracked")
    application_id, _ = approved(ctx, world)
    with pytest.raises(stock.NoBlankInStock) as refused:
        _produce(ctx, world, application_id, folder_printer, pki)
    assert "receives a new box" in refused.value.message("en") and refused.value.message("sq")
    with ctx.read() as uow:
        assert uow.session.execute(select(func.count(Card.id))).scalar_one() == 0
        assert uow.session.execute(
            select(Sequence.last_value).where(Sequence.name == "document:TR")
        ).scalar_one_or_none() is None  # fmt: skip
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="AL0002", last="AL0002")
    assert _produce(ctx, world, application_id, folder_printer, pki).blank_serial == "AL0002"


def test_an_office_that_never_received_a_box_produces_without_stock(
    ctx, world, folder_printer, pki
):
    application_id, _ = approved(ctx, world)
    produced = _produce(ctx, world, application_id, folder_printer, pki)
    assert produced.blank_serial is None and _blanks(ctx) == []
    assert "blank" not in _last_event(ctx, "card.production_started")
