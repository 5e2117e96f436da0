"""The card station shows the office's blank stock: the serial the next card is printed on,
and a warning below the office's level; with no blank left nothing is produced (issue 17,
item 2)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from issuance.db.models import Card
from issuance.security import passwords
from issuance.security.keys import init_keys
from issuance.services import stock
from tests.issuance.services.cards.conftest import approved
from tests.support.world import World, build_world
from ui.card_station import CardStationHome

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def world(ctx, console, monkeypatch) -> World:
    monkeypatch.setattr(
        passwords, "hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    return build_world(ctx, console)


def _open(qtbot, desk, world, waiting: int) -> CardStationHome:
    desk.ctx.settings = replace(desk.settings, card_reader="sim")  # the in-process card
    desk.actor = world.card_operator
    init_keys(desk.settings.keys_dir)
    home = CardStationHome(desk)
    qtbot.addWidget(home)
    home.resize(1200, 800)
    home.show()
    qtbot.waitUntil(lambda: home.queue_model.rowCount() == waiting, timeout=10_000)
    return home


def test_the_station_shows_the_stock_and_warns_when_it_runs_low(qtbot, ctx, desk, world):
    first, _ = approved(ctx, world)
    second, _ = approved(ctx, world, coupon="PS-0002", permit_number="LQ7654321",
                         passport_number="P0000002")  # fmt: skip
    home = _open(qtbot, desk, world, 2)
    assert not home.stock_label.isVisible()  # the office keeps no stock yet

    stock.receive_box(ctx, world.supervisor, office_code="TR", first="AL0001", last="AL0003")
    stock.set_warning_level(ctx, world.supervisor, "TR", 3)
    qtbot.mouseClick(home.refresh_button, LEFT)
    qtbot.waitUntil(home.stock_label.isVisible, timeout=5_000)
    assert home.stock_label.text() == (
        "Blanks in stock: 3; the next card is printed on blank AL0001."
    )
    assert "#a00" not in home.stock_label.styleSheet()

    home.queue.selectRow(home.queue_model.row_of(first))
    qtbot.mouseClick(home.produce_button, LEFT)
    low = "Low blank stock: 2 blanks left (warning below 3). Ask a supervisor to receive a new box."
    qtbot.waitUntil(lambda: home.stock_label.text() == low, timeout=30_000)
    assert "#a00" in home.stock_label.styleSheet()
    assert home.last_produced.blank_serial == "AL0001"

    # The two blanks left turn out damaged: the next card is refused before a number.
    for serial in ("AL0002", "AL0003"):
        stock.void_blank(ctx, world.supervisor, serial, "bent")
    qtbot.mouseClick(home.refresh_button, LEFT)
    qtbot.waitUntil(lambda: "0 blanks left" in home.stock_label.text(), timeout=5_000)
    home.queue.selectRow(home.queue_model.row_of(second))
    qtbot.mouseClick(home.produce_button, LEFT)
    qtbot.waitUntil(
        lambda: "There are no blank cards in stock" in home.message.text(), timeout=10_000
    )
    assert "Traceback" not in home.message.text() and "NoBlankInStock" not in home.message.text()
    with ctx.read() as uow:
        assert uow.session.execute(select(func.count(Card.id))).scalar_one() == 1
