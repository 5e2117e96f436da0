"""The supervisor's decisions on submitted applications.

Approval allocates the NID (unless FER gave one) and writes the civil-registry message to the
outbox in the same transaction, so an approved identity can never be forgotten by delivery.
"Approve all remaining" approves a whole batch's undecided applications in one transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance.db.models import Applicant, Application, Batch, Office, PermitSnapshot
from issuance.delivery import civil_registry, notifications, outbox
from issuance.domain import numbering, workflow
from issuance.domain.workflow import State
from issuance.errors import IssuanceError
from issuance.security.permissions import Actor, UseCase, authorize, require_office
from issuance.services import dedup, permits, receipts

if TYPE_CHECKING:
    from issuance.bootstrap import Context
    from issuance.delivery.clients import FerClient


class FourEyesViolation(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Nuk mund të vendosni për një aplikim që e keni pranuar vetë (parimi i katër syve).",
            "You cannot decide on an application you enrolled yourself (four-eyes principle).",
        )


def _decidable(actor: Actor, session: Session, application_id: int) -> Application:
    application = session.get(Application, application_id, with_for_update=True)
    if application is None:
        raise workflow.ApplicationNotFound(application_id)
    require_office(actor, application.office_id)
    if application.clerk_id == actor.operator_id:
        raise FourEyesViolation()
    return application


# For the other services deciding on an application (de-duplication).
decidable = _decidable


def approve(
    ctx: Context, actor: Actor, application_id: int, *, fer: FerClient | None = None
) -> str:
    """Approve and return the holder's NID. With ``fer`` the permit is read again first: one
    revoked or ended since enrolment stops the approval with the reason (nothing changes)."""
    authorize(actor, UseCase.DECIDE_APPLICATION)
    if fer is not None:
        permits.recheck_application(ctx, actor, application_id, fer)
    with ctx.uow() as uow:
        session = uow.session
        application = _decidable(actor, session, application_id)
        applicant = session.get(Applicant, application.applicant_id)
        assert applicant is not None  # a submitted application always has its applicant
        if application.state == State.SUBMITTED.value:
            dedup.require_decided(session, ctx.engine, ctx.sealer, application)
        nid = _approve_in(session, actor, application, applicant, at=ctx.clock())
        uow.commit()
        return nid


def _approve_in(
    session: Session, actor: Actor, application: Application, applicant: Applicant, *, at: datetime
) -> str:
    """One approval inside the caller's transaction: the state change with its audit event,
    the NID (unless FER gave one) and the civil-registry message. Returns the NID."""
    workflow.apply(session, actor, application, State.APPROVED, at=at)
    if applicant.nid is None:
        block = numbering.office_block(session, application.office_id)
        applicant.nid = numbering.allocate_nid(
            session, applicant.birth_date, applicant.sex, block=block
        )
    application.decided_by_id, application.decided_at = actor.operator_id, at
    payload = civil_registry.person_payload(session, application, applicant)
    # One confirmation per application. A replacement card's application re-sends a
    # person the registry already holds under this NID: it refuses a second one (409),
    # and delivery reads the registered person back and compares it instead.
    key = f"{applicant.nid}/{application.number}"
    outbox.enqueue(session, civil_registry.TOPIC, key, payload, at=at)
    notifications.enqueue_approved(session, application, at=at)
    return applicant.nid


class Approved(NamedTuple):
    application_id: int
    number: str
    nid: str


class Skipped(NamedTuple):
    """An application "approve all remaining" left undecided, and why (in both languages:
    ``reason.message(language)``)."""

    application_id: int
    number: str
    reason: IssuanceError


@dataclass(frozen=True)
class ApprovalSummary:
    batch_id: int
    approved: tuple[Approved, ...]
    skipped: tuple[Skipped, ...]


def approve_remaining(
    ctx: Context,
    actor: Actor,
    batch_id: int,
    *,
    application_ids: Collection[int] | None = None,
    fer: FerClient | None = None,
) -> ApprovalSummary:
    """Approve every undecided (submitted) application of the batch in one transaction.

    ``application_ids``: the applications the supervisor saw undecided and means to approve
    (the desk passes the rows it shows), so that one submitted to the batch since is never
    approved unseen; None approves every submitted application of the batch.

    What the supervisor may not decide is skipped and reported, not a failure: an application
    they enrolled themselves (four eyes), one decided meanwhile, one not in this batch. Any
    other error rolls the whole transaction back: nothing is half approved. With ``fer`` every
    permit is read again first (before the transaction): one revoked or ended since enrolment
    is skipped with that reason.
    """
    authorize(actor, UseCase.DECIDE_APPLICATION)
    wanted = None if application_ids is None else set(application_ids)
    ended = _ended_permits(ctx, batch_id, wanted, fer) if fer is not None else {}
    with ctx.uow() as uow:
        session = uow.session
        batch = session.get(Batch, batch_id)
        if batch is None:
            raise receipts.BatchNotFound(batch_id)
        require_office(actor, batch.office_id, "batch")
        # Loaded once for every message's payload (and held: the session keeps it only weakly).
        office = session.get(Office, batch.office_id)
        assert office is not None
        # One query for the applications with their applicants and permits (the payloads
        # read them from the session's identity map): never a query per row to load them.
        query = (
            select(Application, Applicant, PermitSnapshot)
            .outerjoin(Applicant, Applicant.id == Application.applicant_id)
            .outerjoin(PermitSnapshot, PermitSnapshot.id == Application.permit_snapshot_id)
            .where(Application.batch_id == batch_id)
            .order_by(Application.number)
            # Locked (PostgreSQL) as every service locks the application it changes, so a
            # decision committed meanwhile is seen, never overwritten.
            .with_for_update(of=Application)
        )
        if wanted is None:
            query = query.where(Application.state == State.SUBMITTED.value)
        else:
            query = query.where(Application.id.in_(wanted))
        now = ctx.clock()
        approved: list[Approved] = []
        skipped: list[Skipped] = []
        found: set[int] = set()
        # No flush before each query of the loop: everything is written at the commit, each
        # table's rows together. Nothing in the loop needs to read what it wrote: NID serials
        # come from the counter (never the same twice; "taken" only finds NIDs stored before),
        # the audit chain's head is held by the session, and every outbox key names its own
        # application.
        with session.no_autoflush:
            for application, applicant, _permit in session.execute(query).all():
                found.add(application.id)
                refusal = _refusal(actor, application) or ended.get(application.id)
                if refusal is None:
                    refusal = _undecided_duplicates(ctx, session, application)
                if refusal is not None:
                    skipped.append(Skipped(application.id, application.number, refusal))
                    continue
                assert applicant is not None  # a submitted application has its applicant
                nid = _approve_in(session, actor, application, applicant, at=now)
                approved.append(Approved(application.id, application.number, nid))
        for missing in sorted((wanted or set()) - found):
            skipped.append(Skipped(missing, "", NotInBatch(missing, batch_id)))
        uow.commit()
    return ApprovalSummary(batch_id, tuple(approved), tuple(skipped))


class NotInBatch(IssuanceError):
    def __init__(self, application_id: int, batch_id: int) -> None:
        super().__init__(
            f"Aplikimi {application_id} nuk është në partinë {batch_id}.",
            f"Application {application_id} is not in batch {batch_id}.",
        )


def _ended_permits(
    ctx: Context, batch_id: int, wanted: set[int] | None, fer: FerClient
) -> dict[int, IssuanceError]:
    """The batch's candidates whose permit FER now gives as revoked or ended, with why."""
    with ctx.read() as uow:
        query = (
            select(Application.id, PermitSnapshot.permit_number)
            .join(PermitSnapshot, PermitSnapshot.id == Application.permit_snapshot_id)
            .where(Application.batch_id == batch_id)
        )
        if wanted is None:
            query = query.where(Application.state == State.SUBMITTED.value)
        else:
            query = query.where(Application.id.in_(wanted))
        rows = uow.session.execute(query).all()
    today = ctx.clock().date()
    found: dict[str, IssuanceError | None] = {}
    for number in {number for _, number in rows}:
        try:
            permits.still_valid(fer.by_permit(number, require_eligible=False), today)
            found[number] = None
        except IssuanceError as refusal:
            found[number] = refusal
    refused: dict[int, IssuanceError] = {}
    for application_id, number in rows:
        reason = found[number]
        if reason is not None:
            refused[application_id] = reason
    return refused


def _undecided_duplicates(
    ctx: Context, session: Session, application: Application
) -> IssuanceError | None:
    try:
        dedup.require_decided(session, ctx.engine, ctx.sealer, application)
    except dedup.UndecidedDuplicates as refusal:
        return refusal
    return None


def _refusal(actor: Actor, application: Application) -> IssuanceError | None:
    """Why ``actor`` may not approve ``application`` now, checked before anything is written."""
    current = State(application.state)
    if current != State.SUBMITTED:
        return workflow.ForbiddenTransition(current, State.APPROVED)
    if application.clerk_id == actor.operator_id:
        return FourEyesViolation()
    return None


def reject(ctx: Context, actor: Actor, application_id: int, reason: str) -> None:
    authorize(actor, UseCase.DECIDE_APPLICATION)
    with ctx.uow() as uow:
        session = uow.session
        application = _decidable(actor, session, application_id)
        reject_in(session, actor, application, reason, at=ctx.clock())
        uow.commit()


def reject_in(
    session: Session, actor: Actor, application: Application, reason: str, *, at: datetime
) -> None:
    """One rejection inside the caller's transaction (state change, audit, notification)."""
    workflow.apply(session, actor, application, State.REJECTED, reason=reason, at=at)
    application.decided_by_id, application.decided_at = actor.operator_id, at
    application.decision_reason = reason.strip()
    notifications.enqueue_rejected(session, application, reason.strip(), at=at)
