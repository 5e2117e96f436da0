"""retention of biometrics and the privacy notice acknowledged at enrolment

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 06:30:00.000000

``applications`` gains:

- ``closed_at``: when the application reached a final state (rejected, cancelled, handed
  over); the retention periods count from it. Existing closed applications take the best
  time known: a rejection's decision, a handover's card handover, else the last update.
- ``biometrics_purged_at``: when its photo, fingerprints, signature and scans were purged.
- ``privacy_notice_version``, ``privacy_notice_acknowledged_at``,
  ``privacy_notice_acknowledged_by``: the privacy notice the applicant accepted, when, and
  the clerk who recorded it (username). Applications submitted before this revision have none.

The downgrade drops the columns; purged data stays purged (the audit trail says so).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import issuance.db.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _backfill_closed_at() -> None:
    applications = sa.table(
        "applications",
        sa.column("id", sa.Integer),
        sa.column("state", sa.String),
        sa.column("decided_at", issuance.db.base.UtcDateTime()),
        sa.column("updated_at", issuance.db.base.UtcDateTime()),
        sa.column("closed_at", issuance.db.base.UtcDateTime()),
    )
    cards = sa.table(
        "cards",
        sa.column("application_id", sa.Integer),
        sa.column("handed_over_at", issuance.db.base.UtcDateTime()),
    )
    handed_over = (
        sa.select(sa.func.max(cards.c.handed_over_at))
        .where(cards.c.application_id == applications.c.id)
        .scalar_subquery()
    )
    connection = op.get_bind()
    for state, when in (
        ("rejected", sa.func.coalesce(applications.c.decided_at, applications.c.updated_at)),
        ("cancelled", applications.c.updated_at),
        ("handed_over", sa.func.coalesce(handed_over, applications.c.updated_at)),
    ):
        connection.execute(
            applications.update()
            .where(applications.c.state == state, applications.c.closed_at.is_(None))
            .values(closed_at=when)
        )


# Plain ALTER TABLE ADD/DROP COLUMN on both backends: on SQLite a rebuilt ``applications``
# (batch mode) could not be dropped while coupons, captures and cards refer to its rows.
_COLUMNS = (
    ("closed_at", issuance.db.base.UtcDateTime(timezone=True)),
    ("biometrics_purged_at", issuance.db.base.UtcDateTime(timezone=True)),
    ("privacy_notice_version", sa.String(length=20)),
    ("privacy_notice_acknowledged_at", issuance.db.base.UtcDateTime(timezone=True)),
    ("privacy_notice_acknowledged_by", sa.String(length=100)),
)


def upgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column("applications", sa.Column(name, type_, nullable=True))
    _backfill_closed_at()


def downgrade() -> None:
    for name, _type in reversed(_COLUMNS):
        op.drop_column("applications", name)
