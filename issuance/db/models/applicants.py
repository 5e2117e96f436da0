from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from issuance.db.base import Base, UtcDateTime, utcnow


class Applicant(Base):
    """A foreign resident. Names are exactly as FER spells them (NFC); ``*_key`` are folded
    copies (no diacritics, upper case) so a search for "Cela" finds "Çela"."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    father_name: Mapped[str | None] = mapped_column(String(200))
    mother_name: Mapped[str | None] = mapped_column(String(200))
    surname_key: Mapped[str] = mapped_column(String(200), index=True)
    given_names_key: Mapped[str] = mapped_column(String(200), index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    place_of_birth: Mapped[str | None] = mapped_column(String(200))
    nationality: Mapped[str] = mapped_column(String(3))
    passport_number: Mapped[str | None] = mapped_column(String(20), index=True)
    nid: Mapped[str | None] = mapped_column(String(10), unique=True)
    # Address in Albania as the register has it; printed in the chip's DG11.
    address: Mapped[str | None] = mapped_column(String(300))
    mobile: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PermitSnapshot(Base):
    """The register's answer at the moment of enrolment, kept verbatim with the application."""

    __tablename__ = "permit_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    permit_number: Mapped[str] = mapped_column(String(30), index=True)
    permit_type: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    register_payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
