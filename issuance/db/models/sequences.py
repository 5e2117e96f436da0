from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from issuance.db.base import Base


class Sequence(Base):
    """Named counters (NID serials per birth date and month code, document and application
    numbers per office), advanced with an atomic upsert so desks never draw the same value."""

    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_value: Mapped[int] = mapped_column(BigInteger)
