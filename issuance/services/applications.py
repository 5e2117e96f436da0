"""A plain change of an application's state, as its own transaction, with what the change
brings about elsewhere (cancelling releases the coupon's reservation at the post office)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from issuance.db.models import Application
from issuance.delivery import coupons as coupon_delivery
from issuance.domain.workflow import REQUIRED_USE_CASE, ApplicationNotFound, State, apply
from issuance.security.permissions import Actor, authorize

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
    """A plain state change as its own transaction (e.g. cancel); returns the new state."""
    authorize(actor, REQUIRED_USE_CASE[target])
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        if application is None:
            raise ApplicationNotFound(application_id)
        apply(uow.session, actor, application, target, reason=reason, at=ctx.clock())
        if target is State.CANCELLED:
            coupon_delivery.enqueue_release(uow.session, application, ctx.clock())
        uow.commit()
        return target
