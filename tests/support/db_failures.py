"""What the database driver raises, made for real on a throwaway SQLite database: a constraint
that holds, and a database that cannot be opened. For the failure paths of screens whose
service is made to raise them (a database cannot be broken on purpose in the middle of a test)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError


def integrity_error() -> IntegrityError:
    """A UNIQUE constraint failing on a second insert of the same coupon code."""
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE coupons (code TEXT UNIQUE)"))
        connection.execute(sa.text("INSERT INTO coupons VALUES ('PSH10000001')"))
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO coupons VALUES ('PSH10000001')"))
    except IntegrityError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("the constraint did not hold")


def unreachable_database(folder: Path | None = None) -> OperationalError:
    """A database file in a folder that does not exist."""
    missing = (folder or Path("/nonexistent-folder")) / "missing" / "x.db"
    engine = sa.create_engine(f"sqlite:///{missing}")
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("opened a database in a missing folder")
