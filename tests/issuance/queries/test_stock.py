"""The day's counts of blanks: received, consumed, spoiled, voided and in stock, reconciling
from one day to the next (issue 17, item 2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from devices.card_printer import open_card_printer
from devtools.virtual_card.simulated import applet_station
from issuance.db.models import Office
from issuance.queries.stock import BlankCounts, blanks_by_state
from issuance.services import cards, offices, stock
from tests.issuance.services.cards.conftest import approved
from tests.support.keys import desk_keys
from tests.support.world import build_world


def _counts(ctx, code: str, day_start) -> BlankCounts:
    with ctx.read() as uow:
        office_id = uow.session.execute(select(Office.id).where(Office.code == code)).scalar_one()
        return blanks_by_state(uow.session, office_id, day_start, day_start + timedelta(days=1))


def test_two_days_of_blanks_counted_and_reconciled(ctx, console, tmp_path):
    world = build_world(ctx, console)
    offices.add_office(ctx, console, code="DR", name="DRKM Durrës", city="Durrës")
    pki, stranger = desk_keys(tmp_path / "pki"), desk_keys(tmp_path / "other-pki")
    printer = open_card_printer(f"folder:{tmp_path / 'printed'}")

    def produce(application_id, signer=None):
        return cards.produce_card(
            ctx, world.card_operator, application_id, printer=printer,
            station=applet_station(), signer=signer or pki.signer(),
            csca=pki.csca_certificate,
        )  # fmt: skip

    first_day = ctx.clock().replace(hour=0)
    try:
        # Day one: a box of ten, one card made, one spoiled, one blank voided.
        stock.receive_box(ctx, world.supervisor, office_code="TR", first="A0001", last="A0010")
        stock.receive_box(ctx, console, office_code="DR", first="B0001", last="B0100")
        one, _ = approved(ctx, world)
        two, _ = approved(
            ctx, world, coupon="PS-0002", permit_number="LQ0000002", passport_number="P0000002"
        )
        made = produce(one)
        with pytest.raises(cards.CardSpoiled):
            produce(two, signer=stranger.signer())
        stock.void_blank(ctx, world.supervisor, "A0010", "cracked")
        # Day two: the first card found misprinted, a box of five, the spoiled one made again.
        ctx.clock.advance(days=1)
        cards.spoil_card(ctx, world.card_operator, made.document_number, "ink smeared")
        stock.receive_box(ctx, world.supervisor, office_code="TR", first="A0011", last="A0015")
        produce(two)
    finally:
        printer.close()

    day_one = _counts(ctx, "TR", first_day)
    day_two = _counts(ctx, "TR", first_day + timedelta(days=1))
    assert day_one == BlankCounts(received=10, consumed=2, spoiled=1, voided=1, in_stock=7)
    assert day_two == BlankCounts(received=5, consumed=1, spoiled=1, voided=0, in_stock=11)
    assert day_two.in_stock == (
        day_one.in_stock + day_two.received - day_two.consumed - day_two.voided
    )
    assert _counts(ctx, "TR", first_day - timedelta(days=1)) == BlankCounts(0, 0, 0, 0, 0)
    # Another office's blanks are its own.
    assert _counts(ctx, "DR", first_day) == BlankCounts(100, 0, 0, 0, 100)
    assert _counts(ctx, "DR", first_day + timedelta(days=1)).in_stock == 100
