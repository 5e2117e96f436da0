"""1:N de-duplication: each submitted applicant's face vector and finger minutiae (sealed) and
the supervisor's decision on each possible duplicate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from issuance.db.base import Base, UtcDateTime, utcnow


class FaceTemplate(Base):
    """The face vector of an application's portrait; ``vector_sealed`` is AES-GCM ciphertext
    of 128 float32 values, bound to the application."""

    __tablename__ = "face_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    model: Mapped[str] = mapped_column(String(40))
    vector_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FingerTemplate(Base):
    """The minutiae of one finger of an application (NBIS MINDTCT); ``minutiae_sealed`` is
    AES-GCM ciphertext of ``minutiae.Minutiae.to_bytes``, bound to the application and finger."""

    __tablename__ = "finger_templates"
    __table_args__ = (UniqueConstraint("application_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    position: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(40))
    minutiae_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DuplicateDecision(Base):
    """A supervisor's decision that a possible duplicate is another person."""

    __tablename__ = "duplicate_decisions"
    __table_args__ = (UniqueConstraint("application_id", "other_application_id", "modality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    other_application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    modality: Mapped[str] = mapped_column(String(20))  # face, finger or face+finger
    score: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(20))  # different_person
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
