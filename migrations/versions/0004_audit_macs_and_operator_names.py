"""audit events keyed (mac_version), usernames normalised, TOTP steps, login throttles

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00.000000

- ``audit_events.mac_version``: every existing event gets 0 (plain SHA-256, as written); new
  events are written with 1 (HMAC-SHA256 under a key derived from the installation key, which
  a migration does not have: the existing chain is not rekeyed, it keeps verifying as it is and
  the first keyed event links to its last event).
- ``operators.username`` is normalised in place (NFC, case-folded, stripped) so the existing
  unique constraint holds after normalisation. Two operators whose names normalise alike stop
  the upgrade before anything changes, naming them: rename one, then upgrade again.
- ``operators.totp_last_step``: the step of the last accepted one-time code (replays refused).
- ``login_throttles``: failed logins under usernames that do not exist.

The downgrade drops the columns and the table; normalised usernames stay normalised.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import issuance.db.base
from issuance.errors import IssuanceError

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


class UsernamesCollide(IssuanceError):
    def __init__(self, groups: list[list[str]]) -> None:
        listed = "; ".join(" = ".join(repr(name) for name in group) for group in groups)
        super().__init__(
            "Përditësimi u ndal: këta operatorë kanë të njëjtin emër përdoruesi pasi emrat "
            f"normalizohen: {listed}. Riemërtoni njërin prej tyre dhe përditësoni përsëri.",
            "Upgrade stopped: these operators have the same username once names are "
            f"normalised: {listed}. Rename one of them, then upgrade again.",
        )


def _normalise(username: str) -> str:
    # A frozen copy of issuance.services.operators.normalise_username as of this revision.
    stripped = unicodedata.normalize("NFC", username).strip()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", stripped).casefold())


def _normalise_usernames() -> None:
    connection = op.get_bind()
    operators = sa.table("operators", sa.column("id", sa.Integer), sa.column("username"))
    rows = connection.execute(sa.select(operators.c.id, operators.c.username)).all()
    by_name: dict[str, list[tuple[int, str]]] = {}
    for row_id, username in rows:
        by_name.setdefault(_normalise(username), []).append((row_id, username))
    collisions = [[name for _, name in group] for group in by_name.values() if len(group) > 1]
    if collisions:
        raise UsernamesCollide(collisions)
    changed = [
        (row_id, normalised)
        for normalised, group in by_name.items()
        for row_id, username in group
        if username != normalised
    ]
    # Two steps, so that swapping names ("A" -> "a" while "a" -> ...) never meets the unique
    # constraint half-way: first to a free temporary name, then to the final one.
    for row_id, _ in changed:
        connection.execute(
            operators.update().where(operators.c.id == row_id).values(username=f"renaming-{row_id}")
        )
    for row_id, normalised in changed:
        connection.execute(
            operators.update().where(operators.c.id == row_id).values(username=normalised)
        )


def upgrade() -> None:
    _normalise_usernames()  # first: a collision stops the upgrade before any change
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mac_version", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    op.create_table(
        "login_throttles",
        sa.Column("name_digest", sa.String(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", issuance.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_failed_at", issuance.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name_digest", name=op.f("pk_login_throttles")),
    )
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_throttles_last_failed_at"), ["last_failed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttles_last_failed_at"))
    op.drop_table("login_throttles")
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("mac_version")
