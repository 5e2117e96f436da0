"""NIDs across offices: each office draws the serials of its own block, so offices on separate
databases never give the same NID (issue 17, item 5)."""

from __future__ import annotations

import base64
import itertools
import os
import shutil
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.backends import development_devices
from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.db.engine import make_engine
from issuance.db.models import Applicant, AuditEvent, Office
from issuance.domain import numbering
from issuance.domain.identity import nid
from issuance.domain.numbering import SerialBlock
from issuance.security.permissions import NotPermitted
from issuance.security.sealing import Sealer
from issuance.services import batches, offices
from issuance.services.operators import UnknownOffice
from tests.conftest import TEST_KEY, Clock
from tests.support.world import build_world, enrol_complete

EACH = 1_000
# 1,000 NIDs per office: 10 birth dates × both sexes × 50, well inside a block of 111.
BIRTHS = [date(1980, 1, 1) + timedelta(days=37 * i) for i in range(10)]
PER_DATE_AND_SEX = EACH // (len(BIRTHS) * 2)
_databases = itertools.count()


def _context(url: str, tmp_path, name: str) -> Context:
    settings = Settings(data_dir=tmp_path / name, database_url=url, biometric_key=TEST_KEY)
    return Context(
        settings=settings, engine=make_engine(url), sealer=Sealer(base64.b64decode(TEST_KEY)),
        clock=Clock(), devices=development_devices(),
    )  # fmt: skip


def _office_id(ctx: Context, code: str) -> int:
    with ctx.read() as uow:
        return uow.session.execute(select(Office.id).where(Office.code == code)).scalar_one()


def _allocate(ctx: Context, code: str, births=BIRTHS, each=PER_DATE_AND_SEX) -> list[str]:
    """As approval does: the office's block, then the real allocation, in transactions of
    fifty, each NID written to an applicant (so the "already taken" check is the real one)."""
    office_id = _office_id(ctx, code)
    drawn: list[str] = []
    for birth in births:
        for sex in ("M", "F"):
            with Session(ctx.engine) as session, session.begin():
                block = numbering.office_block(session, office_id)
                for i in range(each):
                    value = numbering.allocate_nid(session, birth, sex, block=block)
                    session.add(
                        Applicant(
                            surname=code, given_names=f"N{i}", surname_key=code,
                            given_names_key=f"N{i}", sex=sex, birth_date=birth,
                            nationality="ITA", nid=value,
                        )
                    )  # fmt: skip
                    drawn.append(value)
    return drawn


def _four_offices(tmp_path, migrated_sqlite, postgres, migrated_postgres):
    """Three offices on three SQLite files and one on PostgreSQL, each its own database."""
    urls = []
    for name in ("tirane", "durres", "shkoder"):
        path = tmp_path / f"{name}.db"
        shutil.copy(migrated_sqlite, path)
        urls.append(f"sqlite:///{path}")
    database = f"nid_blocks_{os.getpid()}_{next(_databases)}"
    postgres.execute(f"CREATE DATABASE {database} TEMPLATE {migrated_postgres}")
    urls.append(postgres.url(database))
    return [_context(url, tmp_path, f"desk{i}") for i, url in enumerate(urls)]


def test_four_offices_on_four_databases_give_4000_nids_without_a_duplicate(
    tmp_path, migrated_sqlite, postgres, migrated_postgres, console
):
    contexts = _four_offices(tmp_path, migrated_sqlite, postgres, migrated_postgres)
    blocks = {"TR": (1, 111), "DR": (112, 222), "SH": (223, 333), "KO": (334, 444)}
    try:
        drawn: dict[str, list[str]] = {}
        for ctx, (code, (first, last)) in zip(contexts, blocks.items(), strict=True):
            offices.add_office(ctx, console, code=code, name=f"DRKM {code}", city=code)
            offices.assign_nid_block(ctx, console, code, first, last)
            drawn[code] = _allocate(ctx, code)
        everything = [value for values in drawn.values() for value in values]
        assert len(everything) == 4 * EACH
        assert [v for v, n in Counter(everything).items() if n > 1] == []
        for code, (first, last) in blocks.items():
            serials = [nid.decode(value).serial for value in drawn[code]]
            assert len(serials) == EACH and first <= min(serials) and max(serials) <= last
            assert all(nid.decode(value).foreigner for value in drawn[code])
            # Each office's serials start at its block and run on without a gap.
            assert sorted(set(serials)) == list(range(first, first + PER_DATE_AND_SEX))
    finally:
        for ctx in contexts:
            ctx.close()


def test_without_blocks_two_databases_give_the_same_nids(
    tmp_path, migrated_sqlite, postgres, migrated_postgres, console
):
    """The fault the blocks remove: offices on separate databases, no block, same NIDs."""
    contexts = _four_offices(tmp_path, migrated_sqlite, postgres, migrated_postgres)
    try:
        sqlite_ctx, postgres_ctx = contexts[0], contexts[3]
        for ctx, code in ((sqlite_ctx, "TR"), (postgres_ctx, "KO")):
            offices.add_office(ctx, console, code=code, name=code, city=code)
        one = _allocate(sqlite_ctx, "TR", BIRTHS[:1], 3)
        other = _allocate(postgres_ctx, "KO", BIRTHS[:1], 3)
        assert one == other
    finally:
        for ctx in contexts:
            ctx.close()


def test_a_spent_block_is_refused_in_words(ctx, console):
    offices.add_office(ctx, console, code="TR", name="DRKM Tiranë", city="Tiranë")
    offices.assign_nid_block(ctx, console, "TR", 5, 7)
    birth = date(1999, 12, 31)
    assert [nid.decode(v).serial for v in _allocate(ctx, "TR", [birth], 3)[:3]] == [5, 6, 7]
    office_id = _office_id(ctx, "TR")
    with Session(ctx.engine) as session, session.begin():
        block = numbering.office_block(session, office_id)
        with pytest.raises(numbering.NidBlockExhausted) as refused:
            numbering.allocate_nid(session, birth, "M", block=block)
    assert "(005–007)" in refused.value.message("en") and "31.12.1999" in refused.value.message(
        "sq"
    )
    assert "another block" in refused.value.message("en")
    # Another birth date has the block's serials of its own.
    with Session(ctx.engine) as session, session.begin():
        value = numbering.allocate_nid(session, date(1999, 12, 30), "F", block=block)
    assert nid.decode(value).serial == 5


def test_the_block_skips_an_nid_the_register_already_gave(ctx, console):
    offices.add_office(ctx, console, code="TR", name="DRKM Tiranë", city="Tiranë")
    offices.assign_nid_block(ctx, console, "TR", 200, 300)
    birth = date(2001, 3, 4)
    with Session(ctx.engine) as session, session.begin():
        session.add(
            Applicant(surname="A", given_names="B", surname_key="A", given_names_key="B", sex="M",
                      birth_date=birth, nationality="SRB",
                      nid=nid.compose(birth, "M", 200, foreigner=True))
        )  # fmt: skip
    with Session(ctx.engine) as session, session.begin():
        block = numbering.office_block(session, _office_id(ctx, "TR"))
        assert nid.decode(numbering.allocate_nid(session, birth, "M", block=block)).serial == 201


def test_approval_draws_from_the_office_block(ctx, console):
    world = build_world(ctx, console)
    offices.assign_nid_block(ctx, console, "TR", 500, 610)
    application_id = enrol_complete(ctx, world.clerk)
    value = batches.approve(ctx, world.supervisor, application_id)
    assert nid.decode(value).serial == 500


def test_overlapping_blocks_in_one_database_are_refused(ctx, console):
    for code in ("TR", "DR"):
        offices.add_office(ctx, console, code=code, name=code, city=code)
    offices.assign_nid_block(ctx, console, "TR", 1, 111)
    for first, last in ((111, 222), (50, 60), (1, 999)):
        with pytest.raises(offices.NidBlocksOverlap) as refused:
            offices.assign_nid_block(ctx, console, "DR", first, last)
        assert "'TR'" in refused.value.message("en") and "001–111" in refused.value.message("en")
    assert offices.nid_block_of(ctx, console, "DR") is None
    # The same office may move its own block; the other one then fits beside it.
    offices.assign_nid_block(ctx, console, "TR", 1, 100)
    offices.assign_nid_block(ctx, console, "DR", 101, 200)
    assert offices.nid_block_of(ctx, console, "TR") == SerialBlock(1, 100)
    assert offices.nid_block_of(ctx, console, "DR") == SerialBlock(101, 200)
    with ctx.read() as uow:
        events = uow.session.execute(
            select(AuditEvent.details).where(AuditEvent.action == "office.nid_block")
            .order_by(AuditEvent.seq)
        ).scalars().all()  # fmt: skip
    assert [(e["code"], e["first"], e["last"], e["before"]) for e in events] == [
        ("TR", 1, 111, None), ("TR", 1, 100, [1, 111]), ("DR", 101, 200, None),
    ]  # fmt: skip


@pytest.mark.parametrize("first, last", [(0, 10), (10, 1000), (20, 19), (-5, 3)])
def test_a_block_outside_the_serials_is_refused(ctx, console, first, last):
    offices.add_office(ctx, console, code="TR", name="DRKM Tiranë", city="Tiranë")
    with pytest.raises(offices.InvalidNidBlock) as refused:
        offices.assign_nid_block(ctx, console, "TR", first, last)
    assert "1 to 999" in refused.value.message("en")
    assert offices.nid_block_of(ctx, console, "TR") is None


def test_only_an_administrator_assigns_blocks_and_only_to_a_known_office(ctx, console):
    world = build_world(ctx, console)
    for actor in (world.supervisor, world.clerk, world.card_operator):
        with pytest.raises(NotPermitted):
            offices.assign_nid_block(ctx, actor, "TR", 1, 111)
    with pytest.raises(UnknownOffice):
        offices.assign_nid_block(ctx, console, "ZZ", 1, 111)
    assert offices.nid_block_of(ctx, console, "TR") is None
