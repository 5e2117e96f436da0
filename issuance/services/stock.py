"""Blank-card stock: boxes received by serial range, and every blank accounted against its
serial (consumed by a card, spoiled with it, or voided unused).

Which blank is in the printer: the card operator loads the hopper in serial order, lowest
first, so production takes the office's lowest serial in stock (``take_for_card``) and the
card station shows that serial before printing; a blank found damaged before it is printed is
voided by a supervisor (``void_blank``) and the next serial is taken. An office that has never
received a box produces without stock accounting (installs from before the stock existed);
from its first box on, a card is produced only on a blank in stock.

``take_for_card``, ``return_unused`` and ``spoil_with_card`` work inside the card service's
own transactions; the rest are use cases, one transaction each, audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from issuance.db.models import Blank, BlankBox, BlankStockLevel, Office
from issuance.domain import workflow
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize, require_office
from issuance.services.operators import UnknownOffice

if TYPE_CHECKING:
    from issuance.bootstrap import Context

IN_STOCK, CONSUMED, SPOILED, VOIDED = "in_stock", "consumed", "spoiled", "voided"
BLANK_STATES = (IN_STOCK, CONSUMED, SPOILED, VOIDED)
DEFAULT_WARNING_LEVEL = 50
MAX_BOX = 10_000  # more than any box or pallet; a typing slip of a digit is caught
# The serial pre-printed on the blank's body: an optional letter prefix, then digits.
_SERIAL = re.compile(r"([A-Z]{0,4})([0-9]{4,12})")
_CHUNK = 500


# --- refusals ------------------------------------------------------------------------------


class InvalidBlankSerial(IssuanceError):
    def __init__(self, serial: str) -> None:
        super().__init__(
            f"Numri serial «{serial}» nuk është i vlefshëm: deri në 4 shkronja të mëdha, pastaj "
            "4 deri në 12 shifra (p.sh. AL00012345).",
            f"Serial '{serial}' is not valid: up to 4 capital letters, then 4 to 12 digits "
            "(e.g. AL00012345).",
        )


class InvalidSerialRange(IssuanceError):
    def __init__(self, first: str, last: str) -> None:
        super().__init__(
            f"Seria {first}–{last} nuk është e vlefshme: të dy numrat kanë të njëjtën "
            "parashtesë dhe të njëjtin numër shifrash, dhe i pari nuk është më i madh se i "
            "fundit.",
            f"Range {first}–{last} is not valid: both serials have the same prefix and the "
            "same number of digits, and the first is not greater than the last.",
        )


class BoxTooLarge(IssuanceError):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"Seria ka {count} karta, më shumë se {MAX_BOX}: kontrolloni numrat në kuti.",
            f"The range holds {count} blanks, more than {MAX_BOX}: check the numbers on the box.",
        )


class SerialsAlreadyReceived(IssuanceError):
    def __init__(self, serials: list[str], count: int) -> None:
        shown = ", ".join(serials[:3]) + (" …" if count > 3 else "")
        super().__init__(
            f"{count} numra serialë të kësaj serie janë pranuar tashmë ({shown}). Asgjë nuk "
            "u pranua: kontrolloni numrat në kuti.",
            f"{count} serials of this range were received already ({shown}). Nothing was "
            "received: check the numbers on the box.",
        )


class InvalidWarningLevel(IssuanceError):
    def __init__(self, level: int) -> None:
        super().__init__(
            f"Niveli i paralajmërimit {level} nuk është i vlefshëm: një numër nga 0 deri në "
            f"{MAX_BOX}.",
            f"Warning level {level} is not valid: a number from 0 to {MAX_BOX}.",
        )


class NoBlankInStock(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Nuk ka karta të bardha në stok për këtë zyrë. Mbikëqyrësi pranon një kuti të re "
            "para se të prodhohet karta.",
            "There are no blank cards in stock for this office. A supervisor receives a new "
            "box before the card is produced.",
        )


class BlankNotFound(IssuanceError):
    def __init__(self, serial: str) -> None:
        super().__init__(
            f"Karta e bardhë me numër serial «{serial}» nuk është pranuar në stok.",
            f"No blank with serial '{serial}' was received into stock.",
        )


class BlankNotInStock(IssuanceError):
    def __init__(self, serial: str, state: str) -> None:
        sq, en = STATE_WORDS.get(state, (state, state))
        super().__init__(
            f"Karta e bardhë {serial} nuk është më në stok ({sq}); anulohet vetëm një kartë e "
            "bardhë e papërdorur.",
            f"Blank {serial} is no longer in stock ({en}); only an unused blank can be voided.",
        )


STATE_WORDS = {
    IN_STOCK: ("në stok", "in stock"),
    CONSUMED: ("e përdorur", "consumed"),
    SPOILED: ("e dëmtuar", "spoiled"),
    VOIDED: ("e anuluar", "voided"),
}


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedBox:
    box_id: int
    office_code: str
    first_serial: str
    last_serial: str
    count: int
    received_at: datetime


@dataclass(frozen=True)
class StockStatus:
    office_code: str
    in_stock: int
    warning_level: int
    next_serial: str | None  # the blank the next card is printed on
    kept: bool = True  # False: the office never received a box (no stock accounting yet)

    @property
    def low(self) -> bool:
        return self.kept and self.in_stock < self.warning_level


# --- serial ranges -------------------------------------------------------------------------


def serial_range(first: str, last: str) -> list[str]:
    """Every serial from ``first`` to ``last`` inclusive, or the refusal saying why not."""
    first, last = first.strip().upper(), last.strip().upper()
    head = _SERIAL.fullmatch(first)
    tail = _SERIAL.fullmatch(last)
    if head is None:
        raise InvalidBlankSerial(first)
    if tail is None:
        raise InvalidBlankSerial(last)
    prefix, width = head.group(1), len(head.group(2))
    start, end = int(head.group(2)), int(tail.group(2))
    if tail.group(1) != prefix or len(tail.group(2)) != width or start > end:
        raise InvalidSerialRange(first, last)
    if end - start + 1 > MAX_BOX:
        raise BoxTooLarge(end - start + 1)
    return [f"{prefix}{n:0{width}d}" for n in range(start, end + 1)]


# --- use cases -----------------------------------------------------------------------------


def _office(session: Session, actor: Actor, office_code: str) -> Office:
    office = session.execute(
        select(Office).where(Office.code == office_code.strip().upper())
    ).scalar_one_or_none()
    if office is None:
        raise UnknownOffice(office_code)
    require_office(actor, office.id, "record")
    return office


def receive_box(
    ctx: Context, actor: Actor, *, office_code: str, first: str, last: str
) -> ReceivedBox:
    """Receive a box of blanks into the office's stock by the serial range printed on it.
    Refused whole when any serial of the range was received before (by any office)."""
    authorize(actor, UseCase.MANAGE_STOCK)
    serials = serial_range(first, last)
    with ctx.uow() as uow:
        session = uow.session
        office = _office(session, actor, office_code)
        known: list[str] = []
        for i in range(0, len(serials), _CHUNK):
            chunk = serials[i : i + _CHUNK]
            known += session.execute(select(Blank.serial).where(Blank.serial.in_(chunk))).scalars()
        if known:
            raise SerialsAlreadyReceived(sorted(known), len(known))
        now = ctx.clock()
        box = BlankBox(
            office_id=office.id, first_serial=serials[0], last_serial=serials[-1],
            count=len(serials), received_at=now, received_by=actor.label,
        )  # fmt: skip
        session.add(box)
        session.flush()
        session.execute(
            insert(Blank),
            [
                {"box_id": box.id, "office_id": office.id, "serial": serial, "state": IN_STOCK}
                for serial in serials
            ],
        )
        audit.record(
            session, actor, "stock.received", "office", office.id,
            {"box": box.id, "first": serials[0], "last": serials[-1], "count": len(serials)},
            at=now,
        )  # fmt: skip
        received = ReceivedBox(box.id, office.code, serials[0], serials[-1], len(serials), now)
        uow.commit()  # a concurrent receipt of the same serials fails here (unique serial)
        return received


def stock_status(ctx: Context, actor: Actor, office_code: str) -> StockStatus:
    """How many blanks the office has in stock, its warning level and the next serial."""
    authorize(actor, UseCase.VIEW_STOCK)
    with ctx.read() as uow:
        office = _office(uow.session, actor, office_code)
        return status_of(uow.session, office)


def status_of(session: Session, office: Office) -> StockStatus:
    in_stock = session.execute(
        select(func.count()).where(Blank.office_id == office.id, Blank.state == IN_STOCK)
    ).scalar_one()
    next_serial = session.execute(
        select(Blank.serial)
        .where(Blank.office_id == office.id, Blank.state == IN_STOCK)
        .order_by(Blank.serial)
        .limit(1)
    ).scalar_one_or_none()
    kept = next_serial is not None or _ever_received(session, office.id)
    return StockStatus(
        office.code, int(in_stock), warning_level(session, office.id), next_serial, kept
    )


def own_office_stock(ctx: Context, actor: Actor) -> StockStatus | None:
    """The stock of the actor's own office (the card station's and supervisor's view); None
    for an actor bound to no office."""
    authorize(actor, UseCase.VIEW_STOCK)
    if actor.office_id is None:
        return None
    with ctx.read() as uow:
        office = uow.session.get(Office, actor.office_id)
        return None if office is None else status_of(uow.session, office)


def _ever_received(session: Session, office_id: int) -> bool:
    found = session.execute(select(BlankBox.id).where(BlankBox.office_id == office_id).limit(1))
    return found.first() is not None


def warning_level(session: Session, office_id: int) -> int:
    row = session.get(BlankStockLevel, office_id)
    return DEFAULT_WARNING_LEVEL if row is None else row.warning_level


def set_warning_level(ctx: Context, actor: Actor, office_code: str, level: int) -> None:
    """Warn when fewer than ``level`` blanks are in stock (0: never warn)."""
    authorize(actor, UseCase.MANAGE_STOCK)
    if not 0 <= level <= MAX_BOX:
        raise InvalidWarningLevel(level)
    with ctx.uow() as uow:
        session = uow.session
        office = _office(session, actor, office_code)
        row = session.get(BlankStockLevel, office.id)
        before = None if row is None else row.warning_level
        if row is None:
            row = BlankStockLevel(office_id=office.id)
            session.add(row)
        row.warning_level, row.changed_at, row.changed_by = level, ctx.clock(), actor.label
        audit.record(
            session, actor, "stock.warning_level", "office", office.id,
            {"level": level, "before": before}, at=ctx.clock(),
        )  # fmt: skip
        uow.commit()


def void_blank(ctx: Context, actor: Actor, serial: str, reason: str) -> None:
    """Take an unused blank out of the stock (damaged in the box, lost) with the reason."""
    authorize(actor, UseCase.MANAGE_STOCK)
    words = " ".join(reason.split())
    if not words:
        raise workflow.ReasonRequired()
    serial = serial.strip().upper()
    with ctx.uow() as uow:
        session = uow.session
        blank = session.execute(
            select(Blank).where(Blank.serial == serial).with_for_update()
        ).scalar_one_or_none()
        if blank is None:
            raise BlankNotFound(serial)
        require_office(actor, blank.office_id, "record")
        if blank.state != IN_STOCK:
            raise BlankNotInStock(serial, blank.state)
        now = ctx.clock()
        blank.state, blank.reason, blank.taken_at, blank.changed_at = VOIDED, words, now, now
        audit.record(
            session, actor, "stock.blank_voided", "office", blank.office_id,
            {"serial": serial, "reason": words}, at=now,
        )  # fmt: skip
        uow.commit()


# --- inside card production's transactions -------------------------------------------------


def take_for_card(session: Session, office_id: int, card_id: int, at: datetime) -> str | None:
    """The blank the card is printed on: the office's lowest serial in stock, now consumed
    by the card. None when the office has never received a box (no stock accounting yet);
    ``NoBlankInStock`` when it has and none is left."""
    while True:
        candidate = session.execute(
            select(Blank.id, Blank.serial)
            .where(Blank.office_id == office_id, Blank.state == IN_STOCK)
            .order_by(Blank.serial)
            .limit(1)
        ).first()
        if candidate is None:
            if not _ever_received(session, office_id):
                return None
            raise NoBlankInStock()
        taken = session.execute(
            update(Blank)
            .where(Blank.id == candidate.id, Blank.state == IN_STOCK)
            .values(state=CONSUMED, card_id=card_id, taken_at=at, changed_at=at)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return str(candidate.serial)
        # Another station took it between the two statements: the next one.


def return_unused(session: Session, card_id: int) -> str | None:
    """The card's run never touched its blank (bad data, printer not ready): back in stock."""
    blank = _of_card(session, card_id)
    if blank is None:
        return None
    blank.state, blank.card_id, blank.taken_at, blank.changed_at = IN_STOCK, None, None, None
    return blank.serial


def spoil_with_card(session: Session, card_id: int, reason: str, at: datetime) -> str | None:
    """The card printed on this blank failed or was misprinted: the blank is spoiled."""
    blank = _of_card(session, card_id)
    if blank is None:
        return None
    blank.state, blank.reason, blank.changed_at = SPOILED, reason, at
    return blank.serial


def serial_of_card(session: Session, card_id: int) -> str | None:
    blank = _of_card(session, card_id)
    return None if blank is None else blank.serial


def _of_card(session: Session, card_id: int) -> Blank | None:
    return session.execute(
        select(Blank).where(Blank.card_id == card_id).with_for_update()
    ).scalar_one_or_none()
