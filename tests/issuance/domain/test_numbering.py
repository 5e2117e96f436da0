"""NIDs, document numbers and application numbers are unique across desks."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest
from sqlalchemy.orm import Session

from issuance.db.models import Applicant, Sequence
from issuance.domain import numbering
from issuance.domain.identity import nid
from tests.support.allocate import BIRTH, allocate_many

WORKERS, EACH = 8, 100


def test_eight_processes_never_draw_the_same_nid(database_url):
    mp = multiprocessing.get_context("spawn")
    # Every worker connects, then all start allocating at once.
    start, results = mp.Barrier(WORKERS), mp.Queue()
    workers = [
        mp.Process(target=allocate_many, args=(database_url, EACH, w, start, results))
        for w in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    try:
        reports = [results.get(timeout=120) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=30)
    assert [worker.exitcode for worker in workers] == [0] * WORKERS
    drawn = [value for _, chunk, _, _ in reports for value in chunk]
    assert len(drawn) == WORKERS * EACH == len(set(drawn))
    decoded = [nid.decode(value) for value in drawn]
    assert all(d.birth_date == BIRTH and d.sex == "F" and d.foreigner for d in decoded)
    # Gap-free: every serial 1..800 used exactly once.
    assert sorted(d.serial for d in decoded) == list(range(1, WORKERS * EACH + 1))
    # The desks really competed: every one had started before the first was done.
    last_start = max(began for _, _, began, _ in reports)
    first_end = min(ended for _, _, _, ended in reports)
    assert last_start < first_end


def test_serials_exhausted_is_a_clear_error(ctx):
    birth = date(1999, 12, 31)
    code = nid.month_code(12, "M", foreigner=True)
    with Session(ctx.engine) as session, session.begin():
        session.add(Sequence(name=f"nid:{birth.isoformat()}:{code}", last_value=998))
    with Session(ctx.engine) as session, session.begin():
        assert nid.decode(numbering.allocate_nid(session, birth, "M")).serial == 999
    with Session(ctx.engine) as session, session.begin():
        with pytest.raises(numbering.NidSerialsExhausted) as refused:
            numbering.allocate_nid(session, birth, "M")
    assert "999" in refused.value.message("en") and "31.12.1999" in refused.value.message("sq")


def test_allocation_skips_an_nid_the_register_already_gave(ctx):
    birth = date(2001, 3, 4)
    taken = nid.compose(birth, "M", 1, foreigner=True)
    with Session(ctx.engine) as session, session.begin():
        session.add(
            Applicant(surname="A", given_names="B", surname_key="A", given_names_key="B",
                      sex="M", birth_date=birth, nationality="SRB", nid=taken)
        )  # fmt: skip
    with Session(ctx.engine) as session, session.begin():
        assert nid.decode(numbering.allocate_nid(session, birth, "M")).serial == 2


def test_rolled_back_allocation_is_given_back(ctx):
    with Session(ctx.engine) as session:
        with session.begin():
            first = numbering.allocate_document_number(session, "TR")
        session.begin()
        numbering.allocate_document_number(session, "TR")
        session.rollback()
        with session.begin():
            second = numbering.allocate_document_number(session, "TR")
    assert (first, second) == ("TR0000001", "TR0000002")


def test_application_numbers_per_office_and_year(ctx):
    with Session(ctx.engine) as session, session.begin():
        a = numbering.allocate_application_number(session, "TR", date(2026, 5, 1))
        b = numbering.allocate_application_number(session, "DR", date(2026, 5, 1))
        c = numbering.allocate_application_number(session, "TR", date(2026, 6, 1))
    assert (a, b, c) == ("TR-2026-000001", "DR-2026-000001", "TR-2026-000002")
