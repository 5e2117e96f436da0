"""finger minutiae for 1:N de-duplication; a duplicate decision names every modality matched

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 09:50:00.000000

- ``finger_templates``: the sealed minutiae (NBIS MINDTCT) of each finger compared 1:N (both
  thumbs and index fingers) of a submitted application. Applications submitted before this
  revision have none: their fingers are not compared, and the supervisor's detail says so.
- ``duplicate_decisions.modality`` grows from 10 to 20 characters: a decision on another
  application found by face and fingers records ``face+finger``.

The downgrade drops the table and narrows the column back (decisions recorded as
``face+finger`` become ``face``: the shorter column cannot hold both).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import issuance.db.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finger_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.String(length=20), nullable=False),
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("minutiae_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", issuance.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_finger_templates_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finger_templates")),
        sa.UniqueConstraint(
            "application_id", "position", name=op.f("uq_finger_templates_application_id_position")
        ),
    )
    op.create_index(
        op.f("ix_finger_templates_application_id"),
        "finger_templates",
        ["application_id"],
        unique=False,
    )
    with op.batch_alter_table("duplicate_decisions") as batch:
        batch.alter_column(
            "modality", existing_type=sa.String(length=10), type_=sa.String(length=20),
            existing_nullable=False,
        )  # fmt: skip


def downgrade() -> None:
    decisions = sa.table("duplicate_decisions", sa.column("modality", sa.String))
    op.execute(
        decisions.update().where(decisions.c.modality == "face+finger").values(modality="face")
    )
    with op.batch_alter_table("duplicate_decisions") as batch:
        batch.alter_column(
            "modality", existing_type=sa.String(length=20), type_=sa.String(length=10),
            existing_nullable=False,
        )  # fmt: skip
    op.drop_index(op.f("ix_finger_templates_application_id"), table_name="finger_templates")
    op.drop_table("finger_templates")
