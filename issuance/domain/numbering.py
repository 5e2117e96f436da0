"""Allocation of NIDs, document numbers and application numbers, safe across desks.

Each counter is a row of ``sequences`` advanced with one atomic upsert inside the caller's
transaction: PostgreSQL locks the row until commit, SQLite's BEGIN IMMEDIATE serialises writers.
A rolled-back transaction gives its value back, so a committed number is never drawn twice.

NIDs across offices: an office with an NID block (``nid_blocks``, assigned by the central
administration) draws the SSS serials of its block only, from a counter of its own, so offices
on separate databases never give the same NID; an office without one draws 001–999.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from issuance.db.models import Applicant, NidBlock, Sequence
from issuance.domain.identity import document_numbers, nid
from issuance.errors import IssuanceError

MAX_NID_SERIAL = 999


class NidSerialsExhausted(IssuanceError):
    def __init__(self, birth_date: date, month_code: int) -> None:
        super().__init__(
            f"Të gjithë numrat rendorë (001–999) për datëlindjen {birth_date:%d.%m.%Y} "
            f"dhe kodin e muajit {month_code} janë përdorur. Njoftoni administratorin.",
            f"All serials (001–999) for birth date {birth_date:%Y-%m-%d} and month code "
            f"{month_code} are used up. Tell the administrator.",
        )


class NidBlockExhausted(IssuanceError):
    def __init__(self, birth_date: date, month_code: int, block: SerialBlock) -> None:
        span = f"{block.first:03d}–{block.last:03d}"
        super().__init__(
            f"Të gjithë numrat rendorë të bllokut të kësaj zyre ({span}) për datëlindjen "
            f"{birth_date:%d.%m.%Y} dhe kodin e muajit {month_code} janë përdorur. Njoftoni "
            "administratorin: administrata qendrore i cakton zyrës një bllok tjetër.",
            f"All serials of this office's NID block ({span}) for birth date "
            f"{birth_date:%Y-%m-%d} and month code {month_code} are used up. Tell the "
            "administrator: the central administration assigns the office another block.",
        )


@dataclass(frozen=True)
class SerialBlock:
    """The NID serials (SSS) an office gives: ``first``..``last`` inclusive."""

    first: int
    last: int

    def overlaps(self, other: SerialBlock) -> bool:
        return self.first <= other.last and other.first <= self.last


WHOLE_RANGE = SerialBlock(1, MAX_NID_SERIAL)


def office_block(session: Session, office_id: int | None) -> SerialBlock | None:
    """The office's NID block, or None when it has none (it draws from the whole range)."""
    if office_id is None:
        return None
    row = session.get(NidBlock, office_id)
    return None if row is None else SerialBlock(row.first_serial, row.last_serial)


def next_value(session: Session, name: str) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Sequence)
        .values(name=name, last_value=1)
        .on_conflict_do_update(
            index_elements=[Sequence.name], set_={"last_value": Sequence.last_value + 1}
        )
        .returning(Sequence.last_value)
    )
    return int(session.execute(statement).scalar_one())


def allocate_nid(
    session: Session, birth_date: date, sex: str, block: SerialBlock | None = None
) -> str:
    """The next free foreigner NID for this birth date and sex, from the office's ``block``
    (``office_block``; None: the whole range 001–999, the counter of one-database installs).

    "Free" also skips numbers the register already gave to someone (an NID that FER reported),
    which the counter alone cannot know about.
    """
    code = nid.month_code(birth_date.month, sex, foreigner=True)
    name = f"nid:{birth_date.isoformat()}:{code}"
    first, last = (block or WHOLE_RANGE).first, (block or WHOLE_RANGE).last
    if block is not None:
        name += f":{block.first:03d}-{block.last:03d}"  # the block's own counter
    while True:
        serial = first - 1 + next_value(session, name)
        if serial > last:
            if block is None:
                raise NidSerialsExhausted(birth_date, code)
            raise NidBlockExhausted(birth_date, code, block)
        candidate = nid.compose(birth_date, sex, serial, foreigner=True)
        taken = session.execute(select(Applicant.id).where(Applicant.nid == candidate)).first()
        if taken is None:
            return candidate


def allocate_document_number(session: Session, office_code: str) -> str:
    return document_numbers.compose(office_code, next_value(session, f"document:{office_code}"))


def allocate_application_number(session: Session, office_code: str, on: date) -> str:
    """``TR-2026-000123``: office, year, a per-office yearly counter."""
    value = next_value(session, f"application:{office_code}:{on.year}")
    return f"{office_code}-{on.year}-{value:06d}"
