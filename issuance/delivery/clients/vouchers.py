"""Client of the post-office voucher service."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from issuance.delivery.clients.errors import (
    CouponAlreadyUsed,
    CouponError,
    CouponNotReserved,
    CouponReservedByOther,
    CouponUnknown,
    CouponUnpaid,
    CouponWrongAmount,
    MalformedResponse,
)
from issuance.delivery.clients.http import Answer, ServiceClient, error_code, segment

_CODE = re.compile(r"^[A-Z0-9]{6,20}$")


@dataclass(frozen=True)
class CouponInfo:
    code: str
    amount_lek: int
    paid: bool
    state: str  # AVAILABLE | RESERVED | CONSUMED
    application_id: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CouponInfo:
        return cls(data["code"], data["amountLek"], data["paid"], data["state"],
                   data.get("applicationId"))


def normalise_code(code: str) -> str:
    """A scanned or typed coupon code, trimmed and upper-cased."""
    return code.strip().upper()


class VoucherClient(ServiceClient):
    service = ("Posta Shqiptare (kuponat)", "post-office voucher")
    contract_name = "voucher"

    def fees(self) -> dict[str, int]:
        """Fee in lek per card type."""
        answer = self.call("listFees", "/fees")
        return {fee["cardType"]: fee["amountLek"] for fee in answer.body}

    def lookup(self, code: str) -> CouponInfo:
        code = self._checked(code)
        answer = self.call("lookupCoupon", f"/coupons/{segment(code)}")
        return self._coupon(code, answer, "")

    def reserve(self, code: str, application_id: str, card_type: str = "STANDARD") -> CouponInfo:
        """Reserve the coupon for this application; exactly one of racing desks wins."""
        code = self._checked(code)
        answer = self.call("reserveCoupon", f"/coupons/{segment(code)}/reserve",
                           json={"applicationId": application_id, "cardType": card_type})
        return self._coupon(code, answer, card_type)

    def consume(self, code: str, application_id: str) -> CouponInfo:
        code = self._checked(code)
        answer = self.call("consumeCoupon", f"/coupons/{segment(code)}/consume",
                           json={"applicationId": application_id})
        return self._coupon(code, answer, "")

    def release(self, code: str, application_id: str) -> CouponInfo:
        code = self._checked(code)
        answer = self.call("releaseCoupon", f"/coupons/{segment(code)}/release",
                           json={"applicationId": application_id})
        return self._coupon(code, answer, "")

    @staticmethod
    def _checked(code: str) -> str:
        code = normalise_code(code)
        # A code that cannot exist is unknown; no need to ask the post office.
        if not _CODE.match(code):
            raise CouponUnknown(code)
        return code

    def _coupon(self, code: str, answer: Answer, card_type: str) -> CouponInfo:
        if answer.status == 200:
            return self.parsed(lambda: CouponInfo.from_json(answer.body))
        refusal = _REFUSALS.get(error_code(answer))
        if refusal is None:
            raise MalformedResponse(self.service, f"unexpected answer {answer.status}")
        raise refusal(code, card_type)


# Error code -> the refusal, made from the coupon's code and the card type asked for.
_REFUSALS: dict[str, Callable[[str, str], CouponError]] = {
    "COUPON_UNKNOWN": lambda code, _card_type: CouponUnknown(code),
    "COUPON_UNPAID": lambda code, _card_type: CouponUnpaid(code),
    "COUPON_WRONG_AMOUNT": CouponWrongAmount,
    "COUPON_ALREADY_USED": lambda code, _card_type: CouponAlreadyUsed(code),
    "COUPON_RESERVED_BY_OTHER": lambda code, _card_type: CouponReservedByOther(code),
    "COUPON_NOT_RESERVED": lambda code, _card_type: CouponNotReserved(code),
}
