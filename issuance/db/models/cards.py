from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from issuance.db.base import Base, UtcDateTime, utcnow

# A card in one of these states is (or is about to be) in the holder's hands.
VALID_CARD_STATES = ("produced", "handed_over")


class Card(Base):
    """A physical card blank used for an application: produced, spoiled, handed over, revoked."""

    __tablename__ = "cards"
    __table_args__ = (
        # One person never holds two valid cards: enforced by the database, not only the code.
        Index(
            "uq_cards_one_valid_per_applicant",
            "applicant_id",
            unique=True,
            sqlite_where=text("status IN ('produced', 'handed_over')"),
            postgresql_where=text("status IN ('produced', 'handed_over')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    document_number: Mapped[str] = mapped_column(String(9), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    spoiled_reason: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    handed_over_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
