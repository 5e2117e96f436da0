"""Blank-card stock: boxes received by serial range, the warning level, voiding an unused
blank, and who may do it (issue 17, item 2)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from issuance.db.models import AuditEvent, Blank, BlankBox
from issuance.domain import workflow
from issuance.security.permissions import NotPermitted, OtherOfficesApplication
from issuance.services import stock
from issuance.services.operators import UnknownOffice
from tests.support.world import build_world


@pytest.fixture
def world(ctx, console):
    return build_world(ctx, console)


def _blanks(ctx) -> list[tuple[str, str]]:
    with ctx.read() as uow:
        return [
            (b.serial, b.state)
            for b in uow.session.execute(select(Blank).order_by(Blank.serial)).scalars()
        ]


def _events(ctx, action: str) -> list[dict]:
    with ctx.read() as uow:
        return list(
            uow.session.execute(
                select(AuditEvent.details).where(AuditEvent.action == action)
                .order_by(AuditEvent.seq)
            ).scalars()
        )  # fmt: skip


def test_a_box_is_received_by_its_serial_range(ctx, world):
    box = stock.receive_box(
        ctx, world.supervisor, office_code="tr", first="AL000098", last="AL000102"
    )
    assert (box.office_code, box.first_serial, box.last_serial, box.count) == (
        "TR", "AL000098", "AL000102", 5,
    )  # fmt: skip
    assert box.received_at == ctx.clock()
    assert _blanks(ctx) == [(f"AL{n:06d}", "in_stock") for n in range(98, 103)]
    status = stock.stock_status(ctx, world.card_operator, "TR")
    assert (status.in_stock, status.next_serial, status.warning_level) == (5, "AL000098", 50)
    assert status.low
    assert _events(ctx, "stock.received") == [
        {"box": box.box_id, "first": "AL000098", "last": "AL000102", "count": 5}
    ]
    with ctx.read() as uow:
        row = uow.session.get(BlankBox, box.box_id)
        assert row.received_by == world.supervisor.username


@pytest.mark.parametrize(
    "first, last, refusal, words",
    [
        ("AL0001", "AL0000", stock.InvalidSerialRange, "not greater than the last"),
        ("AL0001", "AB0009", stock.InvalidSerialRange, "same prefix"),
        ("AL0001", "AL00009", stock.InvalidSerialRange, "same number of digits"),
        ("AL-0001", "AL0009", stock.InvalidBlankSerial, "'AL-0001'"),
        ("AL0001", "12", stock.InvalidBlankSerial, "'12'"),
        ("", "AL0009", stock.InvalidBlankSerial, "up to 4 capital letters"),
        ("00000001", "00020000", stock.BoxTooLarge, "20000 blanks"),
    ],
)
def test_a_range_that_is_no_box_is_refused(ctx, world, first, last, refusal, words):
    with pytest.raises(refusal) as refused:
        stock.receive_box(ctx, world.supervisor, office_code="TR", first=first, last=last)
    assert words in refused.value.message("en") and refused.value.message("sq")
    assert _blanks(ctx) == [] and _events(ctx, "stock.received") == []


def test_serials_received_before_are_refused_and_nothing_of_the_box_is_kept(ctx, world, console):
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="AL0100", last="AL0199")
    build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës", prefix="d")
    for first, last, count in (("AL0150", "AL0250", 50), ("AL0050", "AL0100", 1),
                               ("AL0100", "AL0199", 100)):  # fmt: skip
        for office in ("TR", "DR"):  # a serial exists once, whichever office has it
            with pytest.raises(stock.SerialsAlreadyReceived) as refused:
                stock.receive_box(ctx, console, office_code=office, first=first, last=last)
            assert f"{count} serials" in refused.value.message("en")
            assert first in refused.value.message("en") or "AL0100" in refused.value.en
    with ctx.read() as uow:
        assert uow.session.execute(select(func.count(Blank.id))).scalar_one() == 100
        assert uow.session.execute(select(func.count(BlankBox.id))).scalar_one() == 1
    # The range right after is a box of its own.
    stock.receive_box(ctx, console, office_code="DR", first="AL0200", last="AL0209")
    assert stock.stock_status(ctx, console, "DR").in_stock == 10


def test_who_may_receive_and_see_the_stock(ctx, world, console):
    for actor in (world.clerk, world.card_operator):
        with pytest.raises(NotPermitted):
            stock.receive_box(ctx, actor, office_code="TR", first="A0001", last="A0002")
    with pytest.raises(NotPermitted):
        stock.stock_status(ctx, world.clerk, "TR")
    other = build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës",
                        prefix="d")  # fmt: skip
    with pytest.raises(OtherOfficesApplication):
        stock.receive_box(ctx, other.supervisor, office_code="TR", first="A0001", last="A0002")
    with pytest.raises(OtherOfficesApplication):
        stock.stock_status(ctx, other.card_operator, "TR")
    with pytest.raises(UnknownOffice):
        stock.receive_box(ctx, console, office_code="ZZ", first="A0001", last="A0002")
    assert _blanks(ctx) == []
    stock.receive_box(ctx, world.administrator, office_code="TR", first="A0001", last="A0002")
    assert stock.stock_status(ctx, world.supervisor, "TR").in_stock == 2


def test_the_warning_level_is_the_office_s_and_audited(ctx, world):
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="A0001", last="A0010")
    assert stock.stock_status(ctx, world.supervisor, "TR").low  # 10 < 50
    stock.set_warning_level(ctx, world.supervisor, "TR", 10)
    status = stock.stock_status(ctx, world.supervisor, "TR")
    assert (status.warning_level, status.low) == (10, False)
    stock.set_warning_level(ctx, world.supervisor, "TR", 11)
    assert stock.stock_status(ctx, world.supervisor, "TR").low
    assert _events(ctx, "stock.warning_level") == [
        {"level": 10, "before": None}, {"level": 11, "before": 10},
    ]  # fmt: skip
    for level in (-1, stock.MAX_BOX + 1):
        with pytest.raises(stock.InvalidWarningLevel):
            stock.set_warning_level(ctx, world.supervisor, "TR", level)
    with pytest.raises(NotPermitted):
        stock.set_warning_level(ctx, world.card_operator, "TR", 0)
    assert stock.stock_status(ctx, world.supervisor, "TR").warning_level == 11


def test_an_unused_blank_is_voided_with_its_reason(ctx, world):
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="A0001", last="A0003")
    stock.void_blank(ctx, world.supervisor, " a0001 ", "scratched in the box")
    assert _blanks(ctx) == [("A0001", "voided"), ("A0002", "in_stock"), ("A0003", "in_stock")]
    status = stock.stock_status(ctx, world.card_operator, "TR")
    assert (status.in_stock, status.next_serial) == (2, "A0002")
    assert _events(ctx, "stock.blank_voided") == [
        {"serial": "A0001", "reason": "scratched in the box"}
    ]
    with pytest.raises(stock.BlankNotInStock) as refused:
        stock.void_blank(ctx, world.supervisor, "A0001", "again")
    assert "no longer in stock (voided)" in refused.value.message("en")
    with pytest.raises(stock.BlankNotFound):
        stock.void_blank(ctx, world.supervisor, "A0009", "never received")
    with pytest.raises(workflow.ReasonRequired):
        stock.void_blank(ctx, world.supervisor, "A0002", "   ")
    with pytest.raises(NotPermitted):
        stock.void_blank(ctx, world.card_operator, "A0002", "dropped")
    assert _blanks(ctx)[1:] == [("A0002", "in_stock"), ("A0003", "in_stock")]


def test_the_own_office_stock_is_what_the_station_shows(ctx, world, console):
    fresh = stock.own_office_stock(ctx, world.card_operator)
    assert (fresh.in_stock, fresh.kept, fresh.low) == (0, False, False)
    assert stock.own_office_stock(ctx, console) is None  # bound to no office
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="A0001", last="A0002")
    for blank in ("A0001", "A0002"):
        stock.void_blank(ctx, world.supervisor, blank, "wet")
    empty = stock.own_office_stock(ctx, world.card_operator)
    assert (empty.in_stock, empty.kept, empty.low, empty.next_serial) == (0, True, True, None)
    with pytest.raises(NotPermitted):
        stock.own_office_stock(ctx, world.clerk)


def test_two_stations_at_once_never_take_the_same_blank(ctx, world):
    """Station A takes the lowest serial and holds its transaction open; station B, at the
    same moment, waits for it (SQLite: the write lock; PostgreSQL: the row lock, then finds it
    taken) and takes the next serial."""
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="A0001", last="A0003")
    office_id = world.card_operator.office_id
    taken, got, errors = threading.Event(), {}, []

    def station(name: str, wait: threading.Event | None) -> None:
        try:
            if wait is not None:
                wait.wait(10)
            with Session(ctx.engine) as session, session.begin():
                got[name] = stock.take_for_card(session, office_id, None, ctx.clock())
                if wait is None:
                    taken.set()
                    time.sleep(0.5)  # B is started and waiting meanwhile
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=station, args=("A", None)),
        threading.Thread(target=station, args=("B", taken)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and got == {"A": "A0001", "B": "A0002"}
    assert _blanks(ctx) == [("A0001", "consumed"), ("A0002", "consumed"), ("A0003", "in_stock")]
