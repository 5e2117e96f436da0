"""Find applications by NID, document number, permit, passport or name (diacritics ignored).

A clerk, supervisor or card operator finds only their own office's applications (an applicant
who also applied elsewhere shows only this office's applications); an administrator finds
every office's.

The text is classified first and only the queries that can match it run: an NID runs the NID
query alone; one word with a digit is an identifier (an application number's shape runs that
query alone; otherwise permit and passport, and the card's document number when it has that
shape), never a name (names hold no digits); words with spaces are names only (identifiers are
one word); one word of letters may be a passport or permit number as well as a name. The
queries that can match are the branches of one statement (``UNION ALL``), built and compiled
once per plan (kinds, office scoping, number of words) with bound parameters; it returns the
hit's columns directly (no entities) and runs in a read-only unit of work, on the driver."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    String,
    bindparam,
    cast,
    literal_column,
    or_,
    select,
    union_all,
)

from issuance.db.models import Applicant, Application, Card, PermitSnapshot
from issuance.domain.identity import document_numbers, nid
from issuance.domain.names import fold
from issuance.ports import limits
from issuance.security.permissions import Actor, UseCase, authorize, office_scope

if TYPE_CHECKING:
    from issuance.bootstrap import Context


class Hit(NamedTuple):
    application_id: int
    number: str
    state: str
    surname: str
    given_names: str
    nid: str | None


# Above every character a folded key can hold: ``key < prefix + _TOP`` closes a prefix range.
_TOP = "\U0010ffff"
# ``TR-2026-000123`` (issuance.domain.numbering): office, year, counter. Nothing else has its
# hyphens.
# What an NID looks like (issuance.domain.identity.nid); nid.is_valid decides, and only for these.
_NID_SHAPE = re.compile(r"[0-9A-T][0-9]{8}[A-W]")
_APPLICATION_NUMBER = re.compile(r"[A-Z0-9]{2}-[0-9]{4}-[0-9]+")
_LIKE_ESCAPE = "/"
_DIGIT = re.compile(r"\d")  # any Unicode digit, as str.isdigit


def search(ctx: Context, actor: Actor, text: str, limit: int = 50) -> list[Hit]:
    """Exact identifiers first (newest first), then names in alphabetical order.

    Each kind of match is its own branch on its own index, all of them in one statement
    (``UNION ALL``, one round trip), and the hits are merged here: one query OR-ing
    conditions over three joined tables makes the database scan every application, which a
    million applicants turn into seconds."""
    authorize(actor, UseCase.SEARCH)
    text = _checked(text)
    if not text:
        return []
    upper = text.upper()
    kinds, names = _plan(text, upper)
    if not kinds and names is None:  # words with a digit: no identifier, no name
        return []
    # Every kind of match keeps to the actor's office in its own branch (the rule of
    # permissions.office_scope, as office_filter applies it), so a limit is never filled by
    # applications the actor may not see.
    office = office_scope(actor)
    params: dict[str, Any] = {"t": upper, "office": office, "limit": limit}
    if names is not None:
        params.update(_name_params(names))
    scoped = office is not None
    # One statement answers (a second only after an NID found nothing): no snapshot needed.
    with ctx.read(snapshot=False) as uow:
        rows = uow.rows(_query(kinds, scoped, None if names is None else len(names) - 1), params)
        # An NID's shape found no stored NID: a valid NID is nothing else (checked only now,
        # it costs as much as the query); any other text of that shape may be an identifier.
        if kinds == ("nid",) and not rows and not nid.is_valid(upper):
            kinds = _identifier_kinds(upper)
            rows = uow.rows(_query(kinds, scoped, None), params)
    return _merged(rows, kinds, names is not None, limit)


def _plan(text: str, upper: str) -> tuple[tuple[str, ...], list[str] | None]:
    """What the text can be: the identifier kinds to look up (in this order) and the folded
    words of a name (None: no name can match)."""
    if _NID_SHAPE.fullmatch(upper):
        return ("nid",), None  # first the NID alone (a digit typed: no name)
    kinds = _identifier_kinds(upper) if len(upper.split(maxsplit=1)) == 1 else ()
    # Names hold letters only: a digit typed means an identifier (folding keeps digits).
    if _DIGIT.search(upper) is not None:
        return kinds, None
    key = fold(text)
    if not key or _DIGIT.search(key) is not None:
        return kinds, None
    return kinds, key.split(" ")


def _checked(text: str) -> str:
    """The text trimmed, with NUL, lone surrogates and control characters made spaces; refuses
    (``SearchTooLong``) more characters or words than ``issuance.ports.limits`` allows, before any
    query is built: each word typed is a condition, and thousands of them exhaust SQLite."""
    return search_text(text)


def _identifier_kinds(upper: str) -> tuple[str, ...]:
    """The identifiers one word may be: an application number's shape is nothing else;
    a document number's shape may also be a passport (or permit) number."""
    if _APPLICATION_NUMBER.fullmatch(upper):
        return ("number",)
    if document_numbers.is_valid(upper):
        # Spoiled blanks too: a clerk may hold one in hand.
        return ("passport", "permit", "card")
    return ("passport", "permit")


def _merged(rows: list[Any], kinds: tuple[str, ...], names: bool, limit: int) -> list[Hit]:
    """The hits of one statement's rows (``branch, key, *Hit``): the identifiers found, newest
    first (sorted here, not by the database: told to ORDER BY the application's id, SQLite
    walks every application newest first instead of looking the identifier up in its
    index); then the names, surnames before given names, each in key order; no application
    twice."""
    identifiers = len(kinds)
    found: dict[int, Hit] = {}
    for row in sorted((row for row in rows if row[0] < identifiers), key=_newest):
        found.setdefault(row[2], Hit._make(row[2:]))
    if names and len(found) < limit:
        for row in sorted((row for row in rows if row[0] >= identifiers), key=_in_names):
            found.setdefault(row[2], Hit._make(row[2:]))
    return list(found.values())[:limit]


def _newest(row: Any) -> int:
    return -int(row[2])


def _in_names(row: Any) -> tuple[int, str]:
    return row[0], row[1]


def _name_params(words: list[str]) -> dict[str, str]:
    """The name branches' parameters: the first word's key range and, for every other word,
    a LIKE pattern of it at the start of a word (wildcards typed are plain characters)."""
    first, *others = words
    values = {"first": first, "top": first + _TOP}
    for n, part in enumerate(others):
        escaped = (
            part.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
            .replace("%", _LIKE_ESCAPE + "%")
            .replace("_", _LIKE_ESCAPE + "_")
        )
        values[f"w{n}"] = f"% {escaped}%"
    return values


@cache
def _query(kinds: tuple[str, ...], scoped: bool, others: int | None) -> Select[Any]:
    """The one statement of a search, built once per plan: a branch per identifier kind
    (``t`` the identifier) and, unless ``others`` is None, one per folded-key column (names
    of ``1 + others`` words). Every name branch is limited on its own (``limit``), every
    branch keeps to the office when ``scoped`` (``office``) and is tagged with its position
    and sort key."""
    branches = [_identifier(kind, scoped, n) for n, kind in enumerate(kinds)]
    if others is not None:
        branches += [
            _names(column, scoped, others, len(kinds) + n)
            for n, column in enumerate(("surname_key", "given_names_key"))
        ]
    if len(branches) == 1:
        return branches[0]
    # A name branch keeps its order and limit in a subquery; an identifier branch is a plain
    # member (an exact identifier matches a person's few applications: all of them come and
    # the newest are kept here).
    parts = [
        select(branch.subquery()) if branch._order_by_clauses else branch.limit(None)
        for branch in branches
    ]
    return union_all(*parts)  # type: ignore[return-value]


def _columns(branch: int, key: ColumnElement[Any]) -> Select[*tuple[Any, ...]]:
    return select(
        literal_column(str(branch)).label("branch"), key.label("key"),
        Application.id, Application.number, Application.state,
        Applicant.surname, Applicant.given_names, Applicant.nid,
    ).join(Applicant, Application.applicant_id == Applicant.id)  # fmt: skip


def _in_office(scoped: bool) -> tuple[ColumnElement[bool], ...]:
    # ``office_id + 0``: a condition no index answers. Without statistics SQLite's planner
    # otherwise walks the office's index (every application of the office) and checks the
    # identifier or name on each row: 20-40 ms in 100,000 applications instead of 10 µs.
    return (Application.office_id + 0 == bindparam("office"),) if scoped else ()


def _identifier(kind: str, scoped: bool, branch: int) -> Select[*tuple[Any, ...]]:
    """One exact-identifier branch: ``t`` the identifier, ``limit``, ``office``."""
    t: BindParameter[str] = bindparam("t")
    query = _columns(branch, literal_column("''"))
    if kind == "nid":
        query = query.where(Applicant.nid == t)
    elif kind == "passport":
        query = query.where(Applicant.passport_number == t)
    elif kind == "number":
        query = query.where(Application.number == t)
    elif kind == "permit":
        query = query.join(
            PermitSnapshot, Application.permit_snapshot_id == PermitSnapshot.id
        ).where(PermitSnapshot.permit_number == t)
    elif kind == "card":
        query = query.join(Card, Card.application_id == Application.id).where(
            Card.document_number == t
        )
    else:  # pragma: no cover - a programming error
        raise ValueError(kind)
    return query.where(*_in_office(scoped)).limit(bindparam("limit"))


def _names(column_name: str, scoped: bool, others: int, branch: int) -> Select[*tuple[Any, ...]]:
    """Applications whose names start with the first word typed (``first``..``top``) on one
    folded-key column and hold every one of the ``others`` further words at the start of a
    word, in the order of that key's index (so "Hoxha" does not sort every Hoxha in the
    country)."""
    column = getattr(Applicant, column_name)
    # A range, not LIKE: SQLite and PostgreSQL both walk a plain index for it.
    return (
        _columns(branch, column)
        .where(
            column >= bindparam("first"),
            column < bindparam("top"),
            *(_word_starts(n) for n in range(others)),
            *_in_office(scoped),
        )
        .order_by(column)
        .limit(bindparam("limit"))
    )


def _word_starts(n: int) -> ColumnElement[bool]:
    """Some word of the surname or given names starts with the ``n``-th further word: keys are
    words separated by single spaces, so ``' ' || key LIKE '% WORD%'`` (``w{n}``). SQLite
    prepares a statement again at every call (25 µs) when a bare parameter is the pattern of a
    LIKE (the pattern could pick its plan), so the pattern is an expression (a CAST) of it."""
    pattern = cast(bindparam(f"w{n}"), String)
    return or_(
        *(
            literal_column("' '").concat(column).like(pattern, escape=_LIKE_ESCAPE)
            for column in (Applicant.surname_key, Applicant.given_names_key)
        )
    )


def search_text(text: str) -> str:
    """The search text a query may be built from: control characters, NUL and lone
    surrogates made spaces and trimmed; raises ``SearchTooLong`` over the limits.

    Length is checked before anything else is done with the text, the word count on the
    folded key the name search splits (folding may add words: "ﷺ" folds to four)."""
    if len(text) > limits.SEARCH_MAX_CHARS and len(text.strip()) > limits.SEARCH_MAX_CHARS:
        raise limits.SearchTooLong(chars=len(text.strip()))
    cleaned = limits.without_control(text).strip()
    key = fold(cleaned)
    if len(key) > limits.SEARCH_MAX_CHARS:
        raise limits.SearchTooLong(chars=len(key))
    words = len(key.split())
    if words > limits.SEARCH_MAX_WORDS:
        raise limits.SearchTooLong(words=words)
    return cleaned
