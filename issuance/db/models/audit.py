from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, text
from sqlalchemy.orm import Mapped, mapped_column

from issuance.db.base import Base, UtcDateTime


class AuditEvent(Base):
    """Append-only: each event carries the MAC of the previous one, so an edited or deleted
    row breaks the chain that ``issuance audit verify`` walks (see ``issuance.security.audit``)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    # HMAC-SHA256 under the audit key (mac_version 1); plain SHA-256 for the events written
    # before revision 0004 (mac_version 0, which the migration gives every existing row).
    hash: Mapped[str] = mapped_column(String(64))
    mac_version: Mapped[int] = mapped_column(server_default=text("0"))


class AuditHead(Base):
    """One row: the last sequence number and MAC. Locking it serialises appends across desks,
    and it reveals a deleted tail of the chain (unless moved back with it: the desk's
    checkpoint file, outside the database, reveals that)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))
