from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from issuance.db.base import Base, UtcDateTime, utcnow

# A card in one of these states is (or is about to be) in the holder's hands. It is *valid*
# while it is in one of them and not past its expiry (``expires_on``, the permit's end).
VALID_CARD_STATES = ("produced", "handed_over")


class Card(Base):
    """A physical card blank used for an application: produced, spoiled, handed over, and how
    it left service (revoked, superseded by a renewal or replacement, voided when handed in)."""

    __tablename__ = "cards"
    __table_args__ = (
        # One person never holds two cards: at most one in their hands and at most one made
        # for them and waiting in the office. The new card's handover supersedes (or voids)
        # the one in their hands in the same transaction.
        Index(
            "uq_cards_one_handed_over_per_applicant",
            "applicant_id",
            unique=True,
            sqlite_where=text("status = 'handed_over'"),
            postgresql_where=text("status = 'handed_over'"),
        ),
        Index(
            "uq_cards_one_produced_per_applicant",
            "applicant_id",
            unique=True,
            sqlite_where=text("status = 'produced'"),
            postgresql_where=text("status = 'produced'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    document_number: Mapped[str] = mapped_column(String(9), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    # Why a blank was spoiled or voided, in English words; ``spoiled_reason_sq`` in Albanian.
    spoiled_reason: Mapped[str | None] = mapped_column(Text)
    spoiled_reason_sq: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    handed_over_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # How a valid card left service: revoked (lost, stolen, permit_revoked, fraud, death),
    # superseded (renewed, replaced) or voided (handed_in, damaged); who did it and when.
    ended_reason: Mapped[str | None] = mapped_column(String(30))
    ended_note: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    # The card handed over in its place (renewal, replacement).
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))


class CardReplacement(Base):
    """Why a REPLACEMENT application was made: lost, stolen (with the police report, an
    uploaded PDF of the application), damaged or data changed; and the card it replaces."""

    __tablename__ = "card_replacements"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(20))
    replaced_card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    police_report_id: Mapped[int | None] = mapped_column(ForeignKey("uploaded_documents.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
