from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from issuance.db.base import Base, UtcDateTime, utcnow


class Operator(Base):
    """A person who logs in to the desk; the role decides what the services let them do."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Normalised (NFC, case-folded, stripped: issuance.services.operators.normalise_username),
    # so the unique constraint holds after normalisation: "Ëlira" and "ëlira" are one operator.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    # TOTP secret, sealed with the installation key like biometrics.
    totp_secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The time step of the last code accepted: a code of that step or an earlier one is a
    # replay and is refused.
    totp_last_step: Mapped[int | None] = mapped_column()
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LoginThrottle(Base):
    """Failed logins under a username that no operator has, counted and locked exactly as an
    operator's are, so that what a login answers does not tell which usernames exist.

    Keyed by the SHA-256 of the normalised name: what strangers type is not kept."""

    __tablename__ = "login_throttles"

    name_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_failed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
