"""Blank-card stock: the boxes an office receives and every blank in them, by serial."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from issuance.db.base import Base, UtcDateTime, utcnow


class BlankBox(Base):
    """A box of blank cards received by an office: the serial range printed on it."""

    __tablename__ = "blank_boxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    first_serial: Mapped[str] = mapped_column(String(20))
    last_serial: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The receiving operator's name as audited (the console has no operator row).
    received_by: Mapped[str] = mapped_column(String(100))


class Blank(Base):
    """One blank card, by the serial pre-printed on its body.

    ``state``: ``in_stock``; ``consumed`` once a card is printed on it (``card_id``);
    ``spoiled`` when that card failed or was found misprinted; ``voided`` when it left the
    stock unused (damaged in the box, lost), with the reason."""

    __tablename__ = "blanks"
    __table_args__ = (Index("ix_blanks_office_id_state", "office_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("blank_boxes.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    serial: Mapped[str] = mapped_column(String(20), unique=True)
    state: Mapped[str] = mapped_column(String(12), default="in_stock")
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"), unique=True)
    # When it left the stock (into the printer, or voided); its last change of state.
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)


class BlankStockLevel(Base):
    """Below how many blanks in stock an office is warned (none: the default level)."""

    __tablename__ = "blank_stock_levels"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    warning_level: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(100))
