"""An unfinished signature kept with its draft, so closing the wizard loses no stroke.

Strokes are the applicant's biometric (how they sign, not only what the signature looks like):
they are sealed like every capture and live only in the draft, until the signature is stored
or the draft ends.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from issuance.biometrics.signature import Point, strokes_from_bytes, strokes_to_bytes
from issuance.db.models import Application
from issuance.domain import workflow
from issuance.security.permissions import Actor, UseCase, authorize, require_office
from issuance.security.sealing import UnsealError

if TYPE_CHECKING:
    from issuance.bootstrap import Context

DRAFT_KEY = "signature_strokes"


def _context(application_id: int) -> str:
    return f"signature-strokes:{application_id}"


def keep(ctx: Context, actor: Actor, application_id: int,
         strokes: Iterable[Iterable[Point]]) -> None:  # fmt: skip
    """Seal the strokes into the draft (replacing any kept before)."""
    authorize(actor, UseCase.ENROL)
    data = strokes_to_bytes(strokes)
    with ctx.uow() as uow:
        application = _draft(uow.session, actor, application_id)
        sealed = ctx.sealer.seal(data, _context(application_id))
        application.draft = {
            **(application.draft or {}), DRAFT_KEY: base64.b64encode(sealed).decode("ascii")
        }
        uow.commit()


def kept(ctx: Context, actor: Actor, application_id: int) -> list[list[Point]]:
    """The strokes kept for this draft; none once its signature is stored."""
    authorize(actor, UseCase.ENROL)
    with ctx.read() as uow:
        text = (_draft(uow.session, actor, application_id).draft or {}).get(DRAFT_KEY)
    if not isinstance(text, str):
        return []
    try:
        data = ctx.sealer.open(base64.b64decode(text), _context(application_id))
    except (UnsealError, ValueError):
        return []  # damaged: the applicant signs again
    return strokes_from_bytes(data)


def forget(ctx: Context, actor: Actor, application_id: int) -> None:
    """Drop the kept strokes (the signature was stored, or marked "cannot sign")."""
    authorize(actor, UseCase.ENROL)
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        if application is None or DRAFT_KEY not in (application.draft or {}):
            return
        require_office(actor, application.office_id)
        application.draft = {k: v for k, v in application.draft.items() if k != DRAFT_KEY}
        uow.commit()


def _draft(session: Session, actor: Actor, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise workflow.ApplicationNotFound(application_id)
    require_office(actor, application.office_id)
    return application
