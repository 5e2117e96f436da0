"""Find applications by NID, document number, permit, passport or name (diacritics ignored).

A clerk, supervisor or card operator finds only their own office's applications (an applicant
who also applied elsewhere shows only this office's applications); an administrator finds
every office's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from issuance.identity import document_numbers, nid
from issuance.models import Applicant, Application, Card, PermitSnapshot
from issuance.names import fold
from issuance.permissions import Actor, UseCase, authorize, office_filter

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


# Above every character a folded key can hold: ``key < prefix + _TOP`` closes a prefix range.
_TOP = "\U0010ffff"


def search(ctx: Context, actor: Actor, text: str, limit: int = 50) -> list[Hit]:
    """Exact identifiers first (newest first), then names in alphabetical order.

    Each kind of match is its own query on its own index and the hits are merged here: one
    query OR-ing conditions over three joined tables makes the database scan every
    application, which a million applicants turn into seconds."""
    authorize(actor, UseCase.SEARCH)
    text = _checked(text)
    if not text:
        return []
    upper = text.upper()
    # Every kind of match keeps to the actor's office in its own query, so a limit is never
    # filled by applications the actor may not see.
    in_office = office_filter(actor, Application.office_id)
    with ctx.uow() as uow:
        session = uow.session
        if nid.is_valid(upper):
            query = _applications().where(Applicant.nid == upper, *in_office)
            ids = _ids(session, query, limit)
        else:
            ids = _exact_ids(session, upper, limit, in_office)
            ids += [i for i in _name_ids(session, fold(text), limit, in_office) if i not in ids]
        ids = ids[:limit]
        rows = session.execute(
            select(Application.id, Application.number, Application.state, Applicant.surname,
                   Applicant.given_names, Applicant.nid)
            .join(Applicant, Application.applicant_id == Applicant.id)
            .where(Application.id.in_(ids))
        )  # fmt: skip
        found = {row[0]: Hit(*row) for row in rows}
    return [found[i] for i in ids]



def _checked(text: str) -> str:
    """The text trimmed, with NUL, lone surrogates and control characters made spaces; refuses
    (``SearchTooLong``) more characters or words than ``issuance.limits`` allows, before any
    query is built: each word typed is a condition, and thousands of them exhaust SQLite."""
    from issuance.limits import search_text

    return search_text(text)

def _applications() -> Select[tuple[int]]:
    return select(Application.id).join(Applicant, Application.applicant_id == Applicant.id)


def _ids(session: Session, query: Select[tuple[int]], limit: int) -> list[int]:
    # Sorted here, not by the database: told to ORDER BY the application's id, SQLite walks
    # every application newest first instead of looking the identifier up in its index.
    return sorted(session.scalars(query.limit(limit)), reverse=True)


def _exact_ids(
    session: Session, upper: str, limit: int, in_office: tuple[ColumnElement[bool], ...]
) -> list[int]:
    queries = [
        select(Application.id).where(Application.number == upper, *in_office),
        select(Application.id)
        .join(PermitSnapshot, Application.permit_snapshot_id == PermitSnapshot.id)
        .where(PermitSnapshot.permit_number == upper, *in_office),
        _applications().where(Applicant.passport_number == upper, *in_office),
    ]
    if document_numbers.is_valid(upper):
        # Spoiled blanks too: a clerk may hold one in hand.
        queries.append(
            select(Application.id)
            .join(Card, Card.application_id == Application.id)
            .where(Card.document_number == upper, *in_office)
        )
    return sorted({i for query in queries for i in _ids(session, query, limit)}, reverse=True)


def _name_ids(
    session: Session, key: str, limit: int, in_office: tuple[ColumnElement[bool], ...]
) -> list[int]:
    """Applications whose surname or given names start with the first word typed and whose
    names hold every other word typed at the start of a word, in the order of the
    folded-key index (so "Hoxha" does not sort every Hoxha in the country)."""
    first, *others = key.split(" ")
    if not first:
        return []
    ids: list[int] = []
    for column in (Applicant.surname_key, Applicant.given_names_key):
        # A range, not LIKE: SQLite and PostgreSQL both walk a plain index for it.
        query = (
            _applications()
            .where(column >= first, column < first + _TOP, *map(_word_starts, others), *in_office)
            .order_by(column)
            .limit(limit)
        )
        ids += session.scalars(query)
    return list(dict.fromkeys(ids))


def _word_starts(part: str) -> ColumnElement[bool]:
    """Some word of the surname or given names starts with ``part`` (keys are words
    separated by single spaces)."""
    return or_(
        *(
            condition
            for column in (Applicant.surname_key, Applicant.given_names_key)
            for condition in (
                column.startswith(part, autoescape=True),
                column.contains(f" {part}", autoescape=True),
            )
        )
    )
