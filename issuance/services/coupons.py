"""The post-office coupon: verified and reserved for one application at the desk, consumed on
submission and released on cancellation (both through the outbox, see ``coupon_delivery``, so
the desk keeps working when the post office's service is down)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from issuance.db.models import Application, Coupon
from issuance.delivery import coupons as coupon_delivery
from issuance.delivery.clients import CouponInfo, VoucherClient
from issuance.delivery.clients.errors import CouponError
from issuance.domain import workflow
from issuance.domain.workflow import ApplicationNotFound, State
from issuance.errors import ApplicationHasCoupon, CouponRecordedForOther, UnknownCardType
from issuance.security.permissions import Actor, UseCase, authorize
from issuance.services import enrolment

if TYPE_CHECKING:
    from issuance.bootstrap import Context

log = logging.getLogger(__name__)


def verify_and_reserve(
    ctx: Context, actor: Actor, application_id: int, code: str, vouchers: VoucherClient
) -> CouponInfo:
    """Reserve the coupon for this application at the post office, then record it.

    Everything the desk itself can refuse (the application's state, a coupon it already has,
    the coupon bound to another application here, the card type) is refused before the post
    office is asked. The post office's refusals (unknown, unpaid, wrong amount for the card
    type, used, reserved by another application) are raised by the client before anything is
    recorded. If the desk refuses after the post office said yes (a race with another desk, a
    local failure), the coupon's release is written to the outbox.
    """
    authorize(actor, UseCase.ENROL)
    code = VoucherClient._checked(code)  # a code that cannot exist is unknown: no note, no call
    known = _before_asking(ctx, application_id, code)
    if isinstance(known, CouponInfo):
        return known
    number, card_type, noted_now = known
    try:
        info = vouchers.reserve(code, number, card_type)
    except CouponError:
        # A refusal: the post office holds nothing for this application.
        if noted_now:
            _forget(ctx, application_id, code)
        raise
    # Any other failure (a timeout, a lost connection) leaves the outcome unknown: the note
    # stays, and the coupon is released when the application binds another or is cancelled.
    try:
        enrolment.record_coupon(
            ctx, actor, application_id, code=info.code, amount_lek=info.amount_lek,
            card_type=card_type,
        )  # fmt: skip
    except BaseException:
        _compensate(ctx, application_id, info.code)
        raise
    return info


def _before_asking(
    ctx: Context, application_id: int, code: str
) -> CouponInfo | tuple[str, str, bool]:
    """The local checks, and the note that the post office is about to be asked, in one
    transaction. Returns the coupon when this very coupon already backs the application."""
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, application_id, with_for_update=True)
        if application is None:
            raise ApplicationNotFound(application_id)
        held = coupon_delivery.bound_coupon(session, application)
        if held is not None:
            if held.code != code:
                raise ApplicationHasCoupon(held.code, code)
            # Scanned again: nothing to ask, nothing to change.
            state = "CONSUMED" if held.status == "consumed" else "RESERVED"
            return CouponInfo(held.code, held.amount_lek, True, state, application.number)
        current = State(application.state)
        if not workflow.can_transition(current, State.COUPON_VERIFIED):
            raise workflow.ForbiddenTransition(current, State.COUPON_VERIFIED)
        if application.card_type not in enrolment.CARD_TYPES:
            raise UnknownCardType(application.card_type)
        elsewhere = session.execute(
            select(Coupon.id).where(Coupon.code == code, Coupon.status.in_(coupon_delivery.HELD))
        ).first()
        if elsewhere is not None:
            raise CouponRecordedForOther(code)
        noted_now = coupon_delivery.intend_reservation(session, application, code, ctx.clock())
        number, card_type = application.number, application.card_type
        uow.commit()
    return number, card_type, noted_now


def _forget(ctx: Context, application_id: int, code: str) -> None:
    try:
        with ctx.uow() as uow:
            application = uow.session.get(Application, application_id)
            if application is not None:
                coupon_delivery.drop_intent(uow.session, application, code)
                uow.commit()
    except Exception:  # noqa: BLE001 - the refusal matters to the clerk, not this clean-up
        # Left parked: released (harmlessly) when the application is cancelled.
        log.exception("could not drop the reservation note of coupon %s", code)


def _compensate(ctx: Context, application_id: int, code: str) -> None:
    """The post office reserved ``code`` but the desk refused it: write its release, in a
    transaction of its own (the refused one is gone)."""
    try:
        with ctx.uow() as uow:
            application = uow.session.get(Application, application_id, with_for_update=True)
            if application is None:
                return
            released = coupon_delivery.release_unbound(
                uow.session, application, code, ctx.clock()
            )
            uow.commit()
        if released:
            log.warning(
                "coupon %s reserved at the post office for %s but refused here: release queued",
                code, application.number,
            )  # fmt: skip
    except Exception:  # noqa: BLE001 - the original refusal is what the clerk must see
        # The note written before asking stays parked: the coupon is released when the
        # application binds another one or is cancelled.
        log.exception("could not queue the release of coupon %s", code)
