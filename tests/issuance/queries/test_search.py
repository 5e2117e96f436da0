"""Names are kept exactly; search ignores diacritics."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from issuance.domain.identity import nid
from issuance.domain.names import fold
from issuance.queries import search
from issuance.security.permissions import NotPermitted
from tests.conftest import raw_rows
from tests.support.world import build_world, enrol_complete


@pytest.mark.parametrize(
    "name,key",
    [
        ("Çela", "CELA"),
        ("Ëndrit  Besnik", "ENDRIT BESNIK"),
        ("Müller-Lüdenscheidt", "MULLER LUDENSCHEIDT"),
        ("Łukasz", "LUKASZ"),
        ("Ørsted", "ORSTED"),
        ("Straße", "STRASSE"),
        ("D'Artagnan", "D ARTAGNAN"),
    ],
)
def test_fold(name, key):
    assert fold(name) == key


def test_names_stored_as_nfc_exactly(ctx, console):
    world = build_world(ctx, console)
    decomposed = unicodedata.normalize("NFD", "Çela")
    assert decomposed != "Çela"
    enrol_complete(ctx, world.clerk, surname=decomposed)
    assert raw_rows(ctx, "SELECT surname, given_names, father_name FROM applicants") == [
        ("Çela", "Ëndrit Besnik", "Gëzim")
    ]


def test_cela_finds_çela(ctx, console):
    world = build_world(ctx, console)
    first = enrol_complete(ctx, world.clerk)
    enrol_complete(
        ctx, world.clerk, coupon="PS-2", surname="Kola", given_names="Ana",
        passport_number="X999", permit_number="LQ7654321",
    )  # fmt: skip
    for query in ("Cela", "cela", "ÇELA", "Çel", "endrit cela", "Endrit"):
        hits = search.search(ctx, world.card_operator, query)
        assert [h.application_id for h in hits] == [first], query
        assert hits[0].surname == "Çela" and hits[0].given_names == "Ëndrit Besnik"
    assert search.search(ctx, world.clerk, "cela ana") == []
    assert [h.surname for h in search.search(ctx, world.clerk, "LQ7654321")] == ["Kola"]
    assert [h.surname for h in search.search(ctx, world.clerk, "x999")] == ["Kola"]


def test_search_by_nid(ctx, console):
    from issuance.services import batches

    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    nid = batches.approve(ctx, world.supervisor, application_id)
    assert [h.nid for h in search.search(ctx, world.administrator, nid)] == [nid]


def test_system_actor_cannot_search(ctx, console):
    from issuance.security.permissions import Actor

    with pytest.raises(NotPermitted):
        search.search(ctx, Actor.system("x"), "Cela")


def test_application_number_with_its_hyphens_is_found(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    [number] = raw_rows(ctx, f"SELECT number FROM applications WHERE id = {application_id}")[0]
    assert "-" in number  # folded, the number would read as two words and match no name
    hits = search.search(ctx, world.clerk, number.lower())
    assert [h.application_id for h in hits] == [application_id]


def test_identifiers_come_first_then_names_alphabetically_and_every_word_counts(ctx, console):
    world = build_world(ctx, console)
    coupons = (f"PS-{n}" for n in range(100, 200))

    def enrol(surname: str, given: str, passport: str) -> int:
        return enrol_complete(ctx, world.clerk, coupon=next(coupons), surname=surname,
                              given_names=given, passport_number=passport,
                              permit_number=f"LQ{passport}")  # fmt: skip

    # The passport of one applicant reads like the surname of the others.
    by_passport = enrol("Kola", "Ana", "HOXHA")
    later = enrol("Hoxhaj", "Arbër", "P2")
    earlier = enrol("Hoxha", "Drita", "P3")
    many = [enrol("Hoxha", "Marco", f"P{n}") for n in range(4, 10)]
    rare = enrol("Hoxha", "Zoë Ëmbëlsira", "P10")
    hits = [h.application_id for h in search.search(ctx, world.clerk, "hoxha")]
    assert hits[0] == by_passport
    assert set(hits[1:-1]) == {earlier, *many, rare}
    assert hits[-1] == later  # HOXHAJ sorts after HOXHA
    # A word typed must start some word of the names, even when the first word is common.
    assert [h.application_id for h in search.search(ctx, world.clerk, "hoxha embel", 3)] == [rare]
    assert search.search(ctx, world.clerk, "hoxha mbel") == []


def test_only_the_queries_that_can_match_run(ctx, console, monkeypatch):
    from issuance.db.uow import ReadUnitOfWork

    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    [number] = raw_rows(ctx, f"SELECT number FROM applications WHERE id = {application_id}")[0]
    ran: list[object] = []
    rows = ReadUnitOfWork.rows

    def counted(self, statement, params):
        ran.append(statement)
        return rows(self, statement, params)

    monkeypatch.setattr(ReadUnitOfWork, "rows", counted)

    def queries(text: str) -> list[object]:
        ran.clear()
        hits = search.search(ctx, world.clerk, text)
        assert hits == [] or [h.application_id for h in hits] == [application_id]
        return list(ran)

    scoped = True  # a clerk's searches keep to their office
    query = search._query  # one statement per plan: (identifier kinds, scoped, further words)
    assert queries(number) == [query(("number",), scoped, None)]
    # A passport (or permit) number with digits is no name: both in one statement.
    assert queries("X1234567") == [query(("passport", "permit"), scoped, None)]
    # A document number's shape may also be a passport or permit number.
    assert queries("TR0000001") == [query(("passport", "permit", "card"), scoped, None)]
    # Words with spaces are names only; one word of letters may also be a passport or permit.
    assert queries("endrit cela") == [query((), scoped, 1)]
    assert queries("Cela") == [query(("passport", "permit"), scoped, 0)]
    # Words with a digit: no identifier (one word) and no name (no digit): nothing runs.
    assert queries("X12 34") == []
    # An NID's shape is looked up as an NID alone; when none is stored and its check letter
    # is wrong, it may be any other identifier (a valid NID never is).
    valid = nid.compose(date(1990, 5, 17), "M", 7, foreigner=True)
    wrong = valid[:9] + ("A" if valid[9] != "A" else "B")
    assert queries(valid) == [query(("nid",), scoped, None)]
    assert queries(wrong) == [
        query(("nid",), scoped, None),
        query(("passport", "permit"), scoped, None),
    ]


def test_an_identifier_found_under_two_kinds_is_one_hit_and_the_newest_comes_first(ctx, console):
    world = build_world(ctx, console)
    # One applicant's passport number is another's permit number.
    older = enrol_complete(ctx, world.clerk, coupon="PS-2", surname="Kola", given_names="Ana",
                           passport_number="AB1234567", permit_number="LQ1")  # fmt: skip
    newer = enrol_complete(ctx, world.clerk, coupon="PS-3", surname="Lika", given_names="Ema",
                           passport_number="Y77", permit_number="AB1234567")  # fmt: skip
    assert [h.application_id for h in search.search(ctx, world.clerk, "ab1234567")] == [
        newer,
        older,
    ]
    assert [h.application_id for h in search.search(ctx, world.clerk, "ab1234567", 1)] == [newer]


def test_a_search_sees_what_was_written_after_the_one_before(ctx, console):
    """The read connections kept between searches (SQLite) end every read transaction: a
    search never answers from the snapshot of the one before, nor after the engine's dispose."""
    world = build_world(ctx, console)
    assert search.search(ctx, world.clerk, "Cela") == []
    first = enrol_complete(ctx, world.clerk)
    assert [h.application_id for h in search.search(ctx, world.clerk, "Cela")] == [first]
    ctx.engine.dispose()
    second = enrol_complete(ctx, world.clerk, coupon="PS-2", passport_number="X2")
    assert [h.application_id for h in search.search(ctx, world.clerk, "Cela")] == [first, second]


def test_like_wildcards_typed_are_plain_characters(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    assert [h.application_id for h in search.search(ctx, world.clerk, "cela endr")] == [
        application_id
    ]
    for typed in ("cela %", "cela _", "cela %ndrit", "cela /", "cela _ndrit"):
        assert search.search(ctx, world.clerk, typed) == [], typed
