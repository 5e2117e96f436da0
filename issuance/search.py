"""Find applications by NID, document number, permit, passport or name (diacritics ignored)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Select, or_, select

from issuance.identity import document_numbers, nid
from issuance.models import Applicant, Application, Card, PermitSnapshot
from issuance.names import fold
from issuance.permissions import Actor, UseCase, authorize

if TYPE_CHECKING:
    from issuance.bootstrap import Context


@dataclass(frozen=True)
class Hit:
    application_id: int
    number: str
    state: str
    surname: str
    given_names: str
    nid: str | None


def _base() -> Select[tuple[Application, Applicant]]:
    return select(Application, Applicant).join(Applicant, Application.applicant_id == Applicant.id)


def search(ctx: Context, actor: Actor, text: str, limit: int = 50) -> list[Hit]:
    authorize(actor, UseCase.SEARCH)
    text = text.strip()
    if not text:
        return []
    upper = text.upper()
    if nid.is_valid(upper):
        query = _base().where(Applicant.nid == upper)
    else:
        first = fold(text).split(" ")[0]
        conditions = [
            Application.number == upper,
            PermitSnapshot.permit_number == upper,
            Applicant.passport_number == upper,
            # Prefix matches use the folded-key indexes.
            Applicant.surname_key.startswith(first, autoescape=True),
            Applicant.given_names_key.startswith(first, autoescape=True),
        ]
        if document_numbers.is_valid(upper):
            # Spoiled blanks too: a clerk may hold one in hand.
            cards = select(Card.application_id).where(Card.document_number == upper)
            conditions.append(Application.id.in_(cards))
        query = (
            _base()
            .outerjoin(PermitSnapshot, Application.permit_snapshot_id == PermitSnapshot.id)
            .where(or_(*conditions))
        )
    rows = _rows(ctx, query.order_by(Application.id.desc()).limit(limit * 4))
    key = fold(text)
    hits = []
    for application, applicant in rows:
        if " " in key and not _all_parts_match(key, applicant):
            continue
        hits.append(
            Hit(
                application.id,
                application.number,
                application.state,
                applicant.surname,
                applicant.given_names,
                applicant.nid,
            )
        )
    return hits[:limit]


def _rows(
    ctx: Context, query: Select[tuple[Application, Applicant]]
) -> list[tuple[Application, Applicant]]:
    with ctx.uow() as uow:
        return [(row[0], row[1]) for row in uow.session.execute(query)]


def _all_parts_match(key: str, applicant: Applicant) -> bool:
    words = set(f"{applicant.surname_key} {applicant.given_names_key}".split())
    return all(any(word.startswith(part) for word in words) for part in key.split())
