"""A plain change of an application's state, as its own transaction, with what the change
brings about elsewhere (cancelling releases the coupon's reservation at the post office), and
the supervisor's cancellation of a submitted or approved application (``cancel``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from issuance.db.models import Application
from issuance.delivery import coupons as coupon_delivery
from issuance.domain.workflow import (
    CANCELLABLE,
    DRAFT_STATES,
    STATE_NAMES,
    ApplicationNotFound,
    ForbiddenTransition,
    ReasonRequired,
    State,
    apply,
    required_use_case,
)
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize, require_office

if TYPE_CHECKING:
    from issuance.bootstrap import Context


def transition(
    ctx: Context,
    actor: Actor,
    application_id: int,
    target: State,
    *,
    reason: str | None = None,
) -> State:
    """A plain state change as its own transaction; returns the new state."""
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        if application is None:
            raise ApplicationNotFound(application_id)
        authorize(actor, required_use_case(State(application.state), target))
        apply(uow.session, actor, application, target, reason=reason, at=ctx.clock())
        if target is State.CANCELLED:
            coupon_delivery.enqueue_release(uow.session, application, ctx.clock())
        uow.commit()
        return target


class CardAlreadyProduced(IssuanceError):
    def __init__(self, number: str, state: State) -> None:
        sq_state, en_state = STATE_NAMES[state]
        super().__init__(
            f"Aplikimi {number} nuk mund të anulohet: karta është prodhuar tashmë "
            f"(«{sq_state}»). Revokoni kartën.",
            f"Application {number} cannot be cancelled: its card has already been produced "
            f"('{en_state}'). Revoke the card instead.",
        )
        self.number, self.state = number, state


class ApplicationClosed(IssuanceError):
    def __init__(self, number: str, state: State) -> None:
        sq_state, en_state = STATE_NAMES[state]
        super().__init__(
            f"Aplikimi {number} është mbyllur tashmë («{sq_state}»); nuk ka çfarë të anulohet.",
            f"Application {number} is already closed ('{en_state}'); there is nothing to cancel.",
        )
        self.number, self.state = number, state


class ApplicationNumberUnknown(IssuanceError):
    def __init__(self, number: str) -> None:
        super().__init__(
            f"Nuk ka aplikim me numër «{number}».", f"There is no application numbered '{number}'."
        )


@dataclass(frozen=True)
class Cancelled:
    id: int
    number: str
    previous_state: str
    reason: str
    # The coupon given back to the post office through the outbox (reserved or consumed).
    coupon: str | None


def cancel(ctx: Context, actor: Actor, application_id: int, reason: str) -> Cancelled:
    """A supervisor (or the console) cancels an application: the reason is mandatory, and once
    the card is produced the card is revoked instead. The coupon's reservation (or its
    consumption) is released at the post office through the outbox."""
    authorize(actor, UseCase.CANCEL_APPLICATION)
    if not (reason and reason.strip()):
        raise ReasonRequired()
    reason = reason.strip()
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, application_id, with_for_update=True)
        if application is None:
            raise ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        current = State(application.state)
        if current in (State.CARD_PRODUCED, State.REGISTERED, State.HANDED_OVER):
            raise CardAlreadyProduced(application.number, current)
        if current in (State.REJECTED, State.CANCELLED):
            raise ApplicationClosed(application.number, current)
        if current not in CANCELLABLE:  # pragma: no cover - every state is named above
            raise ForbiddenTransition(current, State.CANCELLED)
        now = ctx.clock()
        held = coupon_delivery.bound_coupon(session, application)
        apply(session, actor, application, State.CANCELLED, reason=reason, at=now)
        application.decision_reason = reason
        coupon_delivery.enqueue_release(session, application, now)
        audit.record(
            session, actor, "application.cancelled", "application", application.id,
            {"number": application.number, "from": current.value, "reason": reason,
             "draft": current in DRAFT_STATES, "coupon": held.code if held else None},
            at=now,
        )  # fmt: skip
        uow.commit()
        return Cancelled(
            application.id, application.number, current.value, reason,
            held.code if held else None,
        )  # fmt: skip


def find_by_number(ctx: Context, actor: Actor, number: str) -> int:
    """The id of the application with this number (within the actor's office)."""
    authorize(actor, UseCase.CANCEL_APPLICATION)
    with ctx.read() as uow:
        row = uow.session.execute(
            select(Application.id, Application.office_id).where(
                Application.number == number.strip().upper()
            )
        ).first()
    if row is None:
        raise ApplicationNumberUnknown(number)
    require_office(actor, row.office_id)
    return int(row.id)
