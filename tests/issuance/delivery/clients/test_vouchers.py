from __future__ import annotations

import threading

import pytest

from devtools.standins.vouchers import DEMO_FEES
from issuance.delivery.clients.errors import (
    CouponAlreadyUsed,
    CouponNotReserved,
    CouponReservedByOther,
    CouponUnknown,
    CouponUnpaid,
    CouponWrongAmount,
)
from issuance.delivery.clients.vouchers import VoucherClient

from .conftest import config


def test_fees_are_listed_per_card_type(vouchers):
    assert vouchers.fees() == DEMO_FEES


def test_lookup_returns_a_seeded_paid_coupon(vouchers):
    coupon = vouchers.lookup(" psh20000001 ")
    assert (coupon.code, coupon.amount_lek, coupon.paid, coupon.state) == \
        ("PSH20000001", 9000, True, "AVAILABLE")


def test_reserve_consume_release_lifecycle(vouchers, new_coupon, sandbox):
    code = new_coupon()
    reserved = vouchers.reserve(code, "APP-1", "STANDARD")
    assert (reserved.state, reserved.application_id) == ("RESERVED", "APP-1")
    # Repeating the reservation for the same application is harmless.
    assert vouchers.reserve(code, "APP-1", "STANDARD").state == "RESERVED"
    released = vouchers.release(code, "APP-1")
    assert (released.state, released.application_id) == ("AVAILABLE", None)
    vouchers.reserve(code, "APP-2", "STANDARD")
    consumed = vouchers.consume(code, "APP-2")
    assert (consumed.state, consumed.application_id) == ("CONSUMED", "APP-2")
    assert vouchers.consume(code, "APP-2").state == "CONSUMED"
    assert sandbox.vouchers.get(code).state == "CONSUMED"


def test_unknown_coupon(vouchers):
    with pytest.raises(CouponUnknown) as err:
        vouchers.lookup("NOSUCH0001")
    assert "NOSUCH0001" in err.value.message("sq") and "does not exist" in err.value.message("en")
    with pytest.raises(CouponUnknown):
        vouchers.reserve("NOSUCH0001", "APP-1")


def test_malformed_code_is_unknown_without_asking(vouchers):
    with pytest.raises(CouponUnknown):
        vouchers.lookup("ab-12")


def test_unpaid_coupon_cannot_be_reserved(vouchers, new_coupon):
    code = new_coupon(paid=False)
    assert vouchers.lookup(code).paid is False
    with pytest.raises(CouponUnpaid) as err:
        vouchers.reserve(code, "APP-1")
    assert "paguar" in err.value.message("sq")


def test_amount_must_match_the_card_type_fee(vouchers, new_coupon):
    code = new_coupon(amount=DEMO_FEES["URGENT"])
    with pytest.raises(CouponWrongAmount) as err:
        vouchers.reserve(code, "APP-1", "STANDARD")
    assert "STANDARD" in err.value.message("en")
    assert vouchers.reserve(code, "APP-1", "URGENT").state == "RESERVED"


def test_seeded_wrong_amount_unpaid_used_and_reserved_coupons(vouchers):
    with pytest.raises(CouponUnpaid):
        vouchers.reserve("PSH40000001", "APP-9")
    for card_type in DEMO_FEES:
        with pytest.raises(CouponWrongAmount):
            vouchers.reserve("PSH40000002", "APP-9", card_type)
    with pytest.raises(CouponAlreadyUsed):
        vouchers.reserve("PSH40000003", "APP-9")
    with pytest.raises(CouponReservedByOther):
        vouchers.reserve("PSH40000004", "APP-9")


def test_used_coupon_is_refused_everywhere(vouchers, new_coupon):
    code = new_coupon()
    vouchers.reserve(code, "APP-1")
    vouchers.consume(code, "APP-1")
    with pytest.raises(CouponAlreadyUsed):
        vouchers.reserve(code, "APP-2")
    with pytest.raises(CouponAlreadyUsed):
        vouchers.consume(code, "APP-2")
    with pytest.raises(CouponAlreadyUsed):
        vouchers.release(code, "APP-2")


def test_a_consumed_coupon_is_given_back_to_its_cancelled_application(vouchers, new_coupon):
    """The post office returns the fee of a cancelled application: only the application that
    consumed the coupon can release it, and then the coupon can pay for another one."""
    code = new_coupon()
    vouchers.reserve(code, "APP-1")
    vouchers.consume(code, "APP-1")
    vouchers.release(code, "APP-1")
    vouchers.reserve(code, "APP-2")
    vouchers.consume(code, "APP-2")
    with pytest.raises(CouponAlreadyUsed):
        vouchers.release(code, "APP-1")


def test_reserved_coupon_belongs_to_its_application(vouchers, new_coupon):
    code = new_coupon()
    vouchers.reserve(code, "APP-1")
    for action in (vouchers.consume, vouchers.release):
        with pytest.raises(CouponReservedByOther):
            action(code, "APP-2")
    with pytest.raises(CouponReservedByOther):
        vouchers.reserve(code, "APP-2")


def test_consume_needs_a_reservation(vouchers, new_coupon):
    with pytest.raises(CouponNotReserved):
        vouchers.consume(new_coupon(), "APP-1")


@pytest.mark.parametrize("attempt", range(3))
def test_racing_desks_exactly_one_wins(sandbox, new_coupon, attempt):
    code = new_coupon()
    desks = 10
    barrier = threading.Barrier(desks)
    results: dict[str, object] = {}

    def desk(n: int) -> None:
        with VoucherClient(config(sandbox, "voucher")) as client:
            client.lookup(code)  # warm the connection so the reserves start together
            barrier.wait()
            try:
                results[f"APP-{n}"] = client.reserve(code, f"APP-{n}")
            except CouponReservedByOther as exc:
                results[f"APP-{n}"] = exc

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    winners = [app for app, r in results.items() if not isinstance(r, Exception)]
    losers = [r for r in results.values() if isinstance(r, CouponReservedByOther)]
    assert len(results) == desks
    assert len(winners) == 1 and len(losers) == desks - 1
    assert sandbox.vouchers.get(code).application_id == winners[0]
