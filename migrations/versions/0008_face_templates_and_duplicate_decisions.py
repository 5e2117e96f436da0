"""face vectors for 1:N de-duplication and the supervisor's duplicate decisions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 06:40:00.000000

- ``face_templates``: one sealed face vector (dlib ResNet, 128 float32) per submitted
  application. Applications submitted before this revision have none: they are not
  compared, and the supervisor's detail says so.
- ``duplicate_decisions``: a supervisor's recorded decision that a possible duplicate is
  another person (a duplicate found to be the same person rejects the application instead).

The downgrade drops both tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import issuance.db.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "face_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("vector_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", issuance.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_face_templates_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_face_templates")),
        sa.UniqueConstraint("application_id", name=op.f("uq_face_templates_application_id")),
    )
    op.create_table(
        "duplicate_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("other_application_id", sa.Integer(), nullable=False),
        sa.Column("modality", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", issuance.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_duplicate_decisions_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["other_application_id"],
            ["applications.id"],
            name=op.f("fk_duplicate_decisions_other_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["operators.id"],
            name=op.f("fk_duplicate_decisions_decided_by_id_operators"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_decisions")),
        sa.UniqueConstraint(
            "application_id",
            "other_application_id",
            "modality",
            name=op.f("uq_duplicate_decisions_application_id_other_application_id_modality"),
        ),
    )
    op.create_index(
        op.f("ix_duplicate_decisions_application_id"),
        "duplicate_decisions",
        ["application_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_duplicate_decisions_application_id"), table_name="duplicate_decisions")
    op.drop_table("duplicate_decisions")
    op.drop_table("face_templates")
