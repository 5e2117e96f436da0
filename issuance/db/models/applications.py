from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from issuance.db.base import Base, UtcDateTime, utcnow


class Application(Base):
    """One request for a residence card, from the first scan to handover.

    ``state`` only changes through ``issuance.domain.workflow``; ``draft`` holds what the wizard has
    collected so far so a draft survives a closed window or a power cut.
    """

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    clerk_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"), index=True)
    # Indexed: search by permit number goes from the snapshot to its application.
    permit_snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("permit_snapshots.id"), index=True
    )
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    # STANDARD | URGENT | REPLACEMENT: the fee the coupon must match.
    card_type: Mapped[str] = mapped_column(String(20), default="STANDARD")
    state: Mapped[str] = mapped_column(String(30), index=True)
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When the civil registry confirmed the person (read back and compared). The application
    # becomes "registered" once this and the card both exist, whichever comes last.
    registry_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When the application reached a final state (rejected, cancelled, handed over): the
    # retention periods count from here (``issuance.services.retention``).
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When its photo, fingerprints, signature and scans were purged at the end of retention.
    biometrics_purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The privacy notice the applicant read and accepted at enrolment: which version, when,
    # and the clerk who recorded it (the operator's username, as the audit trail names them;
    # no foreign key, so that SQLite adds the column without rebuilding this table). An
    # application is not submitted without it.
    privacy_notice_version: Mapped[str | None] = mapped_column(String(20))
    privacy_notice_acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    privacy_notice_acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    # Optimistic lock: two windows editing one application cannot silently overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    captures: Mapped[list[BiometricCapture]] = relationship(back_populates="application")


class Coupon(Base):
    """The local record of a post-office voucher bound to an application."""

    __tablename__ = "coupons"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    amount_lek: Mapped[int] = mapped_column(Integer)
    card_type: Mapped[str] = mapped_column(String(20))
    # verified -> reserved -> consumed, or released.
    status: Mapped[str] = mapped_column(String(20))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), unique=True)
    verified_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class BiometricCapture(Base):
    """A face image or one finger. ``data_sealed`` is AES-GCM ciphertext, never a raw image."""

    __tablename__ = "biometric_captures"
    __table_args__ = (UniqueConstraint("application_id", "kind", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[str] = mapped_column(String(10))  # face | finger
    position: Mapped[str] = mapped_column(String(30))  # "face" or an ISO finger name
    image_format: Mapped[str | None] = mapped_column(String(10))
    data_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    quality: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    exception_reason: Mapped[str | None] = mapped_column(Text)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    override_reason: Mapped[str | None] = mapped_column(Text)
    for_chip: Mapped[bool] = mapped_column(default=False)
    captured_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="captures")


class Signature(Base):
    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    image_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    cannot_sign: Mapped[bool] = mapped_column(default=False)
    cannot_sign_reason: Mapped[str | None] = mapped_column(Text)
    captured_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class UploadedDocument(Base):
    """A scanned PDF attached to an application (sealed: it carries personal data)."""

    __tablename__ = "uploaded_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
