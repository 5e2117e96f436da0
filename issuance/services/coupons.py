"""The post-office coupon: verified and reserved for one application at the desk, consumed on
submission and released on cancellation (both through the outbox, see ``coupon_delivery``, so
the desk keeps working when the post office's service is down)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from issuance.db.models import Application, Coupon
from issuance.delivery import coupons as coupon_delivery
from issuance.delivery.clients import CouponInfo, VoucherClient
from issuance.delivery.clients.errors import (
    CouponAlreadyUsed,
    CouponError,
    CouponReservedByOther,
    CouponUnpaid,
)
from issuance.domain import workflow
from issuance.domain.workflow import ApplicationNotFound, State
from issuance.errors import ApplicationHasCoupon, CouponRecordedForOther, UnknownCardType
from issuance.security.permissions import Actor, NoOffice, UseCase, authorize, require_office
from issuance.services import enrolment

if TYPE_CHECKING:
    from issuance.bootstrap import Context

log = logging.getLogger(__name__)


class CouponMatchesNoFee(CouponError):
    """The coupon's amount is the fee of no card type: nothing can be issued on it."""

    def __init__(self, code: str, amount_lek: int) -> None:
        super().__init__(
            code,
            f"Shuma e kuponit {code} ({amount_lek} lekë) nuk është tarifa e asnjë lloji karte. "
            "Kontrolloni kuponin në postë.",
            f"The amount of coupon {code} ({amount_lek} lek) is the fee of no card type. "
            "Check the coupon with the post office.",
        )
        self.amount_lek = amount_lek


@dataclass(frozen=True)
class CouponOpened:
    """The application a verified coupon opened (or the draft it was scanned onto)."""

    id: int
    number: str
    card_type: str
    coupon: CouponInfo


def card_type_of(vouchers: VoucherClient, info: CouponInfo) -> str:
    """The card type the resident paid for: the one whose fee is the coupon's amount."""
    matching = [
        card_type for card_type, amount in vouchers.fees().items()
        if amount == info.amount_lek and card_type in enrolment.CARD_TYPES
    ]  # fmt: skip
    if len(matching) != 1:
        raise CouponMatchesNoFee(info.code, info.amount_lek)
    return matching[0]


def open_with_coupon(
    ctx: Context,
    actor: Actor,
    code: str,
    vouchers: VoucherClient,
    *,
    application_id: int | None = None,
    desk_id: int | None = None,
) -> CouponOpened:
    """The desk's first step: verify the coupon at the post office, then open the application
    (its number is allocated only now) with the card type the coupon paid for, then reserve the
    coupon for that number and bind it.

    The order keeps every failure harmless: a mistyped, unpaid, used or foreign coupon is
    refused before any row or number exists; the application row is committed before the
    reservation is asked for (with the note of it, see ``verify_and_reserve``), so a desk that
    dies in between leaves a draft in the clerk's list, resumed by scanning the coupon again
    (or discarded: the post office's reservation is then released). A coupon the post office
    reserved for one of this office's drafts (the desk died before binding it) goes back to
    that draft. ``application_id``: a draft opened before whose coupon was never bound (its
    card type follows the coupon scanned now).
    """
    authorize(actor, UseCase.ENROL)
    if actor.office_id is None:
        raise NoOffice()
    code = VoucherClient._checked(code)
    if application_id is None:
        _refuse_held_here(ctx, code)
    info = vouchers.lookup(code)
    if not info.paid:
        raise CouponUnpaid(code)
    if info.state == "CONSUMED":
        raise CouponAlreadyUsed(code)
    if info.state == "RESERVED":
        waiting = _draft_numbered(ctx, actor, info.application_id)
        if waiting is None or application_id not in (None, waiting):
            raise CouponReservedByOther(code)
        application_id = waiting
    card_type = card_type_of(vouchers, info)
    opened_now = application_id is None
    if application_id is None:
        started = enrolment.start_draft(
            ctx, actor, card_type=card_type, desk_id=desk_id, coupon=code
        )
        application_id = started.id
    else:
        _follow_coupon(ctx, actor, application_id, card_type)
    try:
        reserved = verify_and_reserve(ctx, actor, application_id, code, vouchers)
    except CouponError as refused:
        if opened_now:
            # Lost a race for the coupon after it verified: the fresh draft goes, with why.
            enrolment.discard_draft(ctx, actor, application_id, refused.message("en"))
        raise
    with ctx.read() as uow:
        application = uow.session.get(Application, application_id)
        assert application is not None
        return CouponOpened(application.id, application.number, application.card_type, reserved)


def _refuse_held_here(ctx: Context, code: str) -> None:
    with ctx.read() as uow:
        held = uow.session.execute(
            select(Coupon.id).where(Coupon.code == code, Coupon.status.in_(coupon_delivery.HELD))
        ).first()
    if held is not None:
        raise CouponRecordedForOther(code)


def _draft_numbered(ctx: Context, actor: Actor, number: str | None) -> int | None:
    """This office's open draft with ``number`` (no coupon bound yet), if any."""
    if not number:
        return None
    with ctx.read() as uow:
        application = uow.session.execute(
            select(Application).where(Application.number == number)
        ).scalar_one_or_none()
        if (
            application is None
            or application.office_id != actor.office_id
            or application.state != State.DRAFT.value
        ):
            return None
        return application.id


def _follow_coupon(ctx: Context, actor: Actor, application_id: int, card_type: str) -> None:
    """A draft whose coupon was never bound takes the card type of the coupon scanned now."""
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id, with_for_update=True)
        if application is None:
            raise ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        if application.state != State.DRAFT.value or application.card_type == card_type:
            return
        application.card_type = card_type
        uow.commit()


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
