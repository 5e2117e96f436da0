"""a card's life after production: renewal, replacement, revocation, spoiled blanks in words

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:00:00.000000

- ``cards``: the one unique index "one valid card per applicant" (status produced or
  handed_over) becomes two: at most one card in the holder's hands (``handed_over``) and at
  most one made and waiting in the office (``produced``), so a renewal or replacement card can
  be produced while the old one is still held; its handover supersedes or voids the old one.
- ``cards`` gains how a card left service (``ended_reason``, ``ended_note``, ``ended_at``,
  ``ended_by_id``, ``replaced_by_id``) and the spoiled reason in Albanian
  (``spoiled_reason_sq``). Existing spoiled reasons ("Kind: words") keep their words only.
- ``card_replacements``: why a REPLACEMENT application was made, with the police report.

The downgrade drops the table and the columns and restores the single index; it stops before
any change when a person holds a produced and a handed-over card at once (hand one over or
spoil it first), naming the document numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import issuance.db.base
from issuance.errors import IssuanceError

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_WHERE = "status IN ('produced', 'handed_over')"


class TwoValidCardsHeld(IssuanceError):
    def __init__(self, numbers: list[str]) -> None:
        listed = ", ".join(numbers)
        super().__init__(
            "Kthimi prapa u ndal: këta persona kanë një kartë të dorëzuar dhe një të prodhuar "
            f"njëkohësisht: {listed}. Dorëzoni ose shënoni si të dëmtuar njërën dhe provoni "
            "përsëri.",
            "Downgrade stopped: these persons hold a handed-over and a produced card at once: "
            f"{listed}. Hand one over or record it as spoiled, then downgrade again.",
        )


def _strip_kinds() -> None:
    """``Kind: words`` (as spoiled reasons were written) becomes ``words``."""
    connection = op.get_bind()
    cards = sa.table("cards", sa.column("id", sa.Integer), sa.column("spoiled_reason", sa.Text))
    rows = connection.execute(
        sa.select(cards.c.id, cards.c.spoiled_reason).where(cards.c.spoiled_reason.is_not(None))
    ).all()
    for row_id, reason in rows:
        head, sep, words = reason.partition(": ")
        if sep and head.replace("not started", "").strip().isidentifier():
            connection.execute(
                cards.update().where(cards.c.id == row_id).values(spoiled_reason=words)
            )


def upgrade() -> None:
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index("uq_cards_one_valid_per_applicant")
        batch_op.add_column(sa.Column("spoiled_reason_sq", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("ended_reason", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("ended_note", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("ended_at", issuance.db.base.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("ended_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("replaced_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_cards_ended_by_id_operators"), "operators", ["ended_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_cards_replaced_by_id_cards"), "cards", ["replaced_by_id"], ["id"]
        )
        batch_op.create_index(
            "uq_cards_one_handed_over_per_applicant",
            ["applicant_id"],
            unique=True,
            sqlite_where=sa.text("status = 'handed_over'"),
            postgresql_where=sa.text("status = 'handed_over'"),
        )
        batch_op.create_index(
            "uq_cards_one_produced_per_applicant",
            ["applicant_id"],
            unique=True,
            sqlite_where=sa.text("status = 'produced'"),
            postgresql_where=sa.text("status = 'produced'"),
        )
    _strip_kinds()
    op.create_table(
        "card_replacements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("replaced_card_id", sa.Integer(), nullable=True),
        sa.Column("police_report_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", issuance.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_card_replacements_application_id_applications"),
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["police_report_id"],
            ["uploaded_documents.id"],
            name=op.f("fk_card_replacements_police_report_id_uploaded_documents"),
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["operators.id"],
            name=op.f("fk_card_replacements_recorded_by_id_operators"),
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["replaced_card_id"],
            ["cards.id"],
            name=op.f("fk_card_replacements_replaced_card_id_cards"),
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_replacements")),
        sa.UniqueConstraint("application_id", name=op.f("uq_card_replacements_application_id")),
    )


def _both_held() -> list[str]:
    connection = op.get_bind()
    cards = sa.table(
        "cards", sa.column("applicant_id", sa.Integer), sa.column("status", sa.String),
        sa.column("document_number", sa.String),
    )  # fmt: skip
    rows = connection.execute(
        sa.select(cards.c.applicant_id, cards.c.document_number)
        .where(cards.c.status.in_(("produced", "handed_over")))
        .order_by(cards.c.applicant_id, cards.c.document_number)
    ).all()
    by_person: dict[int, list[str]] = {}
    for applicant_id, number in rows:
        by_person.setdefault(applicant_id, []).append(number)
    return [" + ".join(numbers) for numbers in by_person.values() if len(numbers) > 1]


def downgrade() -> None:
    held = _both_held()
    if held:
        raise TwoValidCardsHeld(held)
    op.drop_table("card_replacements")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index("uq_cards_one_produced_per_applicant")
        batch_op.drop_index("uq_cards_one_handed_over_per_applicant")
        batch_op.drop_constraint(batch_op.f("fk_cards_replaced_by_id_cards"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_cards_ended_by_id_operators"), type_="foreignkey")
        batch_op.drop_column("replaced_by_id")
        batch_op.drop_column("ended_by_id")
        batch_op.drop_column("ended_at")
        batch_op.drop_column("ended_note")
        batch_op.drop_column("ended_reason")
        batch_op.drop_column("spoiled_reason_sq")
        batch_op.create_index(
            "uq_cards_one_valid_per_applicant",
            ["applicant_id"],
            unique=True,
            sqlite_where=sa.text(_OLD_WHERE),
            postgresql_where=sa.text(_OLD_WHERE),
        )
