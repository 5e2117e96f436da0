"""Stand-in of the post-office voucher service: coupons, fees, atomic reservation."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from devtools.standins.server import Reply, Request, error
from issuance.delivery.contracts import Operation

# Demo fees in lek (ALL) per card type; documented in contracts/voucher.yaml.
DEMO_FEES: dict[str, int] = {
    "STANDARD": 6000, "URGENT": 9000, "REPLACEMENT": 7500, "RENEWAL": 6500,
}  # fmt: skip


@dataclass(frozen=True)
class Coupon:
    code: str
    amount_lek: int
    paid: bool
    paid_at: str | None = None
    state: str = "AVAILABLE"  # AVAILABLE | RESERVED | CONSUMED
    application_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "amountLek": self.amount_lek,
            "paid": self.paid,
            "state": self.state,
        }
        if self.paid_at:
            data["paidAt"] = self.paid_at
        if self.application_id:
            data["applicationId"] = self.application_id
        return data


class VoucherService:
    contract_name = "voucher"

    def __init__(self, coupons: Iterable[Coupon] = (), fees: dict[str, int] | None = None) -> None:
        # One lock around check-and-set is what makes a reservation atomic across desks.
        self._lock = threading.Lock()
        self._coupons = {c.code: c for c in coupons}
        self.fees = dict(fees or DEMO_FEES)

    def add(self, coupon: Coupon) -> None:
        with self._lock:
            self._coupons[coupon.code] = coupon

    def get(self, code: str) -> Coupon | None:
        with self._lock:
            return self._coupons.get(code)

    def summary(self) -> dict[str, Any]:
        with self._lock:
            states = [c.state for c in self._coupons.values()]
        return {"coupons": len(states), **{s.lower(): states.count(s) for s in set(states)}}

    def handle(self, op: Operation, request: Request) -> Reply:
        if op.operation_id == "listFees":
            return Reply(200, [{"cardType": t, "amountLek": a} for t, a in self.fees.items()])
        code = request.path_params["code"]
        with self._lock:
            coupon = self._coupons.get(code)
            if coupon is None:
                return error(404, "COUPON_UNKNOWN", "no coupon has this code")
            if op.operation_id == "lookupCoupon":
                return Reply(200, coupon.to_json())
            app_id = request.body["applicationId"]
            action = {
                "reserveCoupon": self._reserve,
                "consumeCoupon": self._consume,
                "releaseCoupon": self._release,
            }[op.operation_id]
            return action(coupon, app_id, request.body)

    def _reserve(self, coupon: Coupon, app_id: str, body: dict[str, Any]) -> Reply:
        if coupon.state == "CONSUMED":
            return error(409, "COUPON_ALREADY_USED", "the coupon was already used")
        if coupon.state == "RESERVED" and coupon.application_id != app_id:
            return error(
                409, "COUPON_RESERVED_BY_OTHER", "the coupon is reserved by another application"
            )
        if not coupon.paid:
            return error(422, "COUPON_UNPAID", "the coupon has not been paid")
        fee = self.fees[body["cardType"]]
        if coupon.amount_lek != fee:
            return error(
                422,
                "COUPON_WRONG_AMOUNT",
                f"the coupon amount {coupon.amount_lek} differs from the fee {fee}",
            )
        return self._store(replace(coupon, state="RESERVED", application_id=app_id))

    def _consume(self, coupon: Coupon, app_id: str, body: dict[str, Any]) -> Reply:
        if coupon.application_id not in (None, app_id):
            code = (
                "COUPON_ALREADY_USED" if coupon.state == "CONSUMED" else "COUPON_RESERVED_BY_OTHER"
            )
            return error(409, code, "the coupon belongs to another application")
        if coupon.state == "AVAILABLE":
            return error(409, "COUPON_NOT_RESERVED", "reserve the coupon before consuming it")
        return self._store(replace(coupon, state="CONSUMED"))

    def _release(self, coupon: Coupon, app_id: str, body: dict[str, Any]) -> Reply:
        # A coupon consumed by an application that was then cancelled is given back to it.
        if coupon.state == "CONSUMED" and coupon.application_id != app_id:
            return error(409, "COUPON_ALREADY_USED", "the coupon was already used")
        if coupon.state == "RESERVED" and coupon.application_id != app_id:
            return error(
                409, "COUPON_RESERVED_BY_OTHER", "the coupon is reserved by another application"
            )
        return self._store(replace(coupon, state="AVAILABLE", application_id=None))

    def _store(self, coupon: Coupon) -> Reply:
        self._coupons[coupon.code] = coupon
        return Reply(200, coupon.to_json())
