"""Offices and their desks, and each office's NID block (administrators only)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import select

from issuance.db.models import Desk, NidBlock, Office
from issuance.domain.numbering import MAX_NID_SERIAL, SerialBlock
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize
from issuance.services.operators import UnknownOffice

if TYPE_CHECKING:
    from issuance.bootstrap import Context

_OFFICE_CODE = re.compile(r"[A-Z0-9]{2}")


class InvalidOfficeCode(IssuanceError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"Kodi i zyrës «{code}» duhet të jetë 2 shkronja të mëdha ose shifra.",
            f"Office code '{code}' must be 2 upper-case letters or digits.",
        )


class OfficeExists(IssuanceError):
    def __init__(self, code: str) -> None:
        super().__init__(f"Zyra «{code}» ekziston tashmë.", f"Office '{code}' already exists.")


def add_office(ctx: Context, actor: Actor, *, code: str, name: str, city: str) -> int:
    authorize(actor, UseCase.MANAGE_OFFICES)
    if not _OFFICE_CODE.fullmatch(code):
        raise InvalidOfficeCode(code)
    with ctx.uow() as uow:
        if uow.session.execute(select(Office.id).where(Office.code == code)).first():
            raise OfficeExists(code)
        office = Office(code=code, name=name, city=city, created_at=ctx.clock())
        uow.session.add(office)
        uow.session.flush()
        audit.record(
            uow.session, actor, "office.added", "office", office.id, {"code": code}, at=ctx.clock()
        )
        uow.commit()
        return office.id


def add_desk(ctx: Context, actor: Actor, *, office_code: str, name: str, kind: str) -> int:
    authorize(actor, UseCase.MANAGE_OFFICES)
    with ctx.uow() as uow:
        office = uow.session.execute(select(Office).where(Office.code == office_code)).scalar_one()
        desk = Desk(office_id=office.id, name=name, kind=kind)
        uow.session.add(desk)
        uow.session.flush()
        audit.record(
            uow.session, actor, "desk.added", "desk", desk.id, {"name": name}, at=ctx.clock()
        )
        uow.commit()
        return desk.id


# --- NIDs across offices -------------------------------------------------------------------


class InvalidNidBlock(IssuanceError):
    def __init__(self, first: int, last: int) -> None:
        super().__init__(
            f"Blloku i NID {first}–{last} nuk është i vlefshëm: numrat rendorë janë nga 1 deri "
            f"në {MAX_NID_SERIAL} dhe i pari nuk është më i madh se i fundit.",
            f"NID block {first}–{last} is not valid: serials run from 1 to {MAX_NID_SERIAL} "
            "and the first is not greater than the last.",
        )


class NidBlocksOverlap(IssuanceError):
    def __init__(self, other_code: str, other: SerialBlock) -> None:
        span = f"{other.first:03d}–{other.last:03d}"
        super().__init__(
            f"Blloku mbivendoset me bllokun e zyrës «{other_code}» ({span}). Dy zyra nuk "
            "japin kurrë të njëjtët numra rendorë: zgjidhni një bllok tjetër.",
            f"The block overlaps office '{other_code}''s block ({span}). Two offices never "
            "give the same serials: choose another block.",
        )


def assign_nid_block(ctx: Context, actor: Actor, office_code: str, first: int, last: int) -> None:
    """Give the office the NID serials ``first``..``last`` (as assigned by the central
    administration, README "NIDs across offices"). Refused when it overlaps another office's
    block in this database. Its NIDs are drawn from the new block from now on."""
    authorize(actor, UseCase.MANAGE_OFFICES)
    if not 1 <= first <= last <= MAX_NID_SERIAL:
        raise InvalidNidBlock(first, last)
    block = SerialBlock(first, last)
    with ctx.uow() as uow:
        session = uow.session
        office = session.execute(
            select(Office).where(Office.code == office_code)
        ).scalar_one_or_none()
        if office is None:
            raise UnknownOffice(office_code)
        others = session.execute(
            select(Office.code, NidBlock.first_serial, NidBlock.last_serial)
            .join(NidBlock, NidBlock.office_id == Office.id)
            .where(Office.id != office.id)
            .with_for_update()
        ).all()
        for code, other_first, other_last in others:
            if block.overlaps(SerialBlock(other_first, other_last)):
                raise NidBlocksOverlap(code, SerialBlock(other_first, other_last))
        row = session.get(NidBlock, office.id)
        before = None if row is None else [row.first_serial, row.last_serial]
        if row is None:
            row = NidBlock(office_id=office.id, first_serial=first, last_serial=last)
            session.add(row)
        row.first_serial, row.last_serial = first, last
        row.assigned_at, row.assigned_by = ctx.clock(), actor.label
        audit.record(
            session, actor, "office.nid_block", "office", office.id,
            {"code": office.code, "first": first, "last": last, "before": before},
            at=ctx.clock(),
        )  # fmt: skip
        uow.commit()


def nid_block_of(ctx: Context, actor: Actor, office_code: str) -> SerialBlock | None:
    """The office's NID block; None when it draws from the whole range."""
    authorize(actor, UseCase.MANAGE_OFFICES)
    with ctx.read() as uow:
        office = uow.session.execute(
            select(Office).where(Office.code == office_code)
        ).scalar_one_or_none()
        if office is None:
            raise UnknownOffice(office_code)
        row = uow.session.get(NidBlock, office.id)
        return None if row is None else SerialBlock(row.first_serial, row.last_serial)
