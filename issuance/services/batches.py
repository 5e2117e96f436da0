"""The supervisor's decisions on submitted applications.

Approval allocates the NID (unless FER gave one) and writes the civil-registry message to the
outbox in the same transaction, so an approved identity can never be forgotten by delivery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance.db.models import Applicant, Application, Batch
from issuance.delivery import civil_registry, outbox
from issuance.domain import numbering, workflow
from issuance.domain.workflow import State
from issuance.errors import IssuanceError
from issuance.security.permissions import Actor, UseCase, authorize, office_filter, require_office

if TYPE_CHECKING:
    from issuance.bootstrap import Context

class FourEyesViolation(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Nuk mund të vendosni për një aplikim që e keni pranuar vetë (parimi i katër syve).",
            "You cannot decide on an application you enrolled yourself (four-eyes principle).",
        )


def _decidable(actor: Actor, session: Session, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise workflow.ApplicationNotFound(application_id)
    require_office(actor, application.office_id)
    if application.clerk_id == actor.operator_id:
        raise FourEyesViolation()
    return application


def approve(ctx: Context, actor: Actor, application_id: int) -> str:
    """Approve and return the holder's NID."""
    authorize(actor, UseCase.DECIDE_APPLICATION)
    with ctx.uow() as uow:
        session = uow.session
        application = _decidable(actor, session, application_id)
        applicant = session.get(Applicant, application.applicant_id)
        assert applicant is not None  # a submitted application always has its applicant
        now = ctx.clock()
        workflow.apply(session, actor, application, State.APPROVED, at=now)
        if applicant.nid is None:
            applicant.nid = numbering.allocate_nid(session, applicant.birth_date, applicant.sex)
        application.decided_by_id, application.decided_at = actor.operator_id, now
        payload = civil_registry.person_payload(session, application, applicant)
        # One confirmation per application. A replacement card's application re-sends a
        # person the registry already holds under this NID: it refuses a second one (409),
        # and delivery reads the registered person back and compares it instead.
        key = f"{applicant.nid}/{application.number}"
        outbox.enqueue(session, civil_registry.TOPIC, key, payload, at=now)
        uow.commit()
        return applicant.nid


def reject(ctx: Context, actor: Actor, application_id: int, reason: str) -> None:
    authorize(actor, UseCase.DECIDE_APPLICATION)
    with ctx.uow() as uow:
        session = uow.session
        application = _decidable(actor, session, application_id)
        now = ctx.clock()
        workflow.apply(session, actor, application, State.REJECTED, reason=reason, at=now)
        application.decided_by_id, application.decided_at = actor.operator_id, now
        application.decision_reason = reason.strip()
        uow.commit()


def open_batches(ctx: Context, actor: Actor, office_id: int) -> list[Batch]:
    """The open batches of ``office_id``: none when it is not the actor's own office."""
    authorize(actor, UseCase.REVIEW_BATCH)
    with ctx.uow() as uow:
        return list(
            uow.session.execute(
                select(Batch).where(
                    Batch.office_id == office_id,
                    Batch.state == "open",
                    *office_filter(actor, Batch.office_id),
                )
            ).scalars()
        )
