"""The blank-card stock as the day's report and the screens count it.

``blanks_by_state(session, office_id, day_start, day_end)`` counts one office's blanks over
``[day_start, day_end)`` (aware datetimes):

- ``received``: blanks in boxes received in the period;
- ``consumed``: blanks taken into the printer for a card in the period (whatever became of the
  card later: a spoiled blank was consumed first);
- ``spoiled``: blanks recorded spoiled in the period (consumed the same or an earlier day);
- ``voided``: blanks taken out of the stock unused in the period (damaged in the box, lost);
- ``in_stock``: blanks in stock at ``day_end``.

They reconcile: ``in_stock`` at the start of the period + received − consumed − voided =
``in_stock`` at its end. A blank whose run never started goes back to stock and counts as
never taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from issuance.db.models import Blank, BlankBox

SPOILED, VOIDED = "spoiled", "voided"


@dataclass(frozen=True)
class BlankCounts:
    received: int
    consumed: int
    spoiled: int
    voided: int
    in_stock: int


def blanks_by_state(
    session: Session, office_id: int, day_start: datetime, day_end: datetime
) -> BlankCounts:
    """One office's blanks over ``[day_start, day_end)`` (see the module's words)."""

    def count(*where: ColumnElement[bool]) -> int:
        statement = (
            select(func.count(Blank.id))
            .join(BlankBox, BlankBox.id == Blank.box_id)
            .where(Blank.office_id == office_id, *where)
        )
        return int(session.execute(statement).scalar_one())

    def within(column: Any) -> ColumnElement[bool]:
        return and_(column >= day_start, column < day_end)

    return BlankCounts(
        received=count(within(BlankBox.received_at)),
        consumed=count(Blank.card_id.is_not(None), within(Blank.taken_at)),
        spoiled=count(Blank.state == SPOILED, within(Blank.changed_at)),
        voided=count(Blank.state == VOIDED, within(Blank.taken_at)),
        in_stock=count(
            BlankBox.received_at < day_end,
            or_(Blank.taken_at.is_(None), Blank.taken_at >= day_end),
        ),
    )
