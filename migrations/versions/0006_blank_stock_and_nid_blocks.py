"""blank-card stock by serial, and each office's NID block

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 07:00:00.000000

- ``nid_blocks``: an office's NID block, the SSS serials it may give (an office without one
  gives from the whole 001–999, as before), with a check of the range.
- ``blank_stock_levels``: below how many blanks in stock an office is warned (none: 50).
- ``blank_boxes``: a box of blanks received by an office (serial range, when, by whom).
- ``blanks``: every blank by its serial, its state (in_stock, consumed, spoiled, voided) and
  the card printed on it.

The downgrade drops the tables and the columns (the stock's history goes with them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import issuance.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nid_blocks",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("first_serial", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.Column("assigned_at", issuance.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "first_serial >= 1 AND first_serial <= last_serial AND last_serial <= 999",
            name=op.f("ck_nid_blocks_serial_range"),
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_nid_blocks_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("office_id", name=op.f("pk_nid_blocks")),
    )
    op.create_table(
        "blank_stock_levels",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("warning_level", sa.Integer(), nullable=False),
        sa.Column("changed_at", issuance.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_blank_stock_levels_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("office_id", name=op.f("pk_blank_stock_levels")),
    )
    op.create_table(
        "blank_boxes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("first_serial", sa.String(length=20), nullable=False),
        sa.Column("last_serial", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("received_at", issuance.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_blank_boxes_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blank_boxes")),
    )
    op.create_index(op.f("ix_blank_boxes_office_id"), "blank_boxes", ["office_id"])
    op.create_table(
        "blanks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("box_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=True),
        sa.Column("taken_at", issuance.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("changed_at", issuance.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["box_id"], ["blank_boxes.id"], name=op.f("fk_blanks_box_id_blank_boxes")
        ),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_blanks_card_id_cards")),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_blanks_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blanks")),
        sa.UniqueConstraint("card_id", name=op.f("uq_blanks_card_id")),
        sa.UniqueConstraint("serial", name=op.f("uq_blanks_serial")),
    )
    op.create_index("ix_blanks_office_id_state", "blanks", ["office_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_blanks_office_id_state", table_name="blanks")
    op.drop_table("blanks")
    op.drop_index(op.f("ix_blank_boxes_office_id"), table_name="blank_boxes")
    op.drop_table("blank_boxes")
    op.drop_table("blank_stock_levels")
    op.drop_table("nid_blocks")
