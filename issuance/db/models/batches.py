from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from issuance.db.base import Base, UtcDateTime, utcnow


class Batch(Base):
    """The applications an office submitted on one day, reviewed together by a supervisor."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    batch_date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="open")  # open | closed
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
