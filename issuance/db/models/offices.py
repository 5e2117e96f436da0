from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from issuance.db.base import Base, UtcDateTime, utcnow


class Office(Base):
    """An application office of the Border and Migration Directorate."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Two characters: the prefix of every document number the office issues.
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    desks: Mapped[list[Desk]] = relationship(back_populates="office")


class Desk(Base):
    __tablename__ = "desks"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(100))
    # "enrolment" or "card_station": what the desk's devices are for.
    kind: Mapped[str] = mapped_column(String(20), default="enrolment")

    office: Mapped[Office] = relationship(back_populates="desks")


class NidBlock(Base):
    """The NID serials (SSS, 001–999) an office gives, assigned by the central administration
    so that offices on separate databases never give the same NID (README "NIDs across
    offices"). An office without a block gives from the whole range."""

    __tablename__ = "nid_blocks"
    __table_args__ = (
        CheckConstraint(
            "first_serial >= 1 AND first_serial <= last_serial AND last_serial <= 999",
            name="serial_range",
        ),
    )

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    first_serial: Mapped[int] = mapped_column(Integer)
    last_serial: Mapped[int] = mapped_column(Integer)
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    assigned_by: Mapped[str] = mapped_column(String(100))
