"""Offices and their desks (administrators only)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import select

from issuance.db.models import Desk, Office
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize

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
