"""Allocation of NIDs, document numbers and application numbers, safe across desks.

Each counter is a row of ``sequences`` advanced with one atomic upsert inside the caller's
transaction: PostgreSQL locks the row until commit, SQLite's BEGIN IMMEDIATE serialises writers.
A rolled-back transaction gives its value back, so a committed number is never drawn twice.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from issuance.db.models import Applicant, Sequence
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


def allocate_nid(session: Session, birth_date: date, sex: str) -> str:
    """The next free foreigner NID for this birth date and sex.

    "Free" also skips numbers the register already gave to someone (an NID that FER reported),
    which the counter alone cannot know about.
    """
    code = nid.month_code(birth_date.month, sex, foreigner=True)
    name = f"nid:{birth_date.isoformat()}:{code}"
    while True:
        serial = next_value(session, name)
        if serial > MAX_NID_SERIAL:
            raise NidSerialsExhausted(birth_date, code)
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
