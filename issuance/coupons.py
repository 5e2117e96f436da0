"""The post-office coupon: verified and reserved for one application at the desk, consumed on
submission and released on cancellation (both through the outbox, see ``coupon_delivery``, so
the desk keeps working when the post office's service is down)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from issuance import enrolment
from issuance.integrations import CouponInfo, VoucherClient
from issuance.models import Application
from issuance.permissions import Actor, UseCase, authorize
from issuance.workflow import ApplicationNotFound

if TYPE_CHECKING:
    from issuance.bootstrap import Context


def verify_and_reserve(
    ctx: Context, actor: Actor, application_id: int, code: str, vouchers: VoucherClient
) -> CouponInfo:
    """Reserve the coupon for this application at the post office, then record it.

    Every refusal (unknown, unpaid, wrong amount for the card type, used, reserved by another
    application) is raised by the client before anything is written here.
    """
    authorize(actor, UseCase.ENROL)
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        if application is None:
            raise ApplicationNotFound(application_id)
        number, card_type = application.number, application.card_type
    info = vouchers.reserve(code, number, card_type)
    enrolment.record_coupon(
        ctx, actor, application_id, code=info.code, amount_lek=info.amount_lek,
        card_type=card_type,
    )  # fmt: skip
    return info
