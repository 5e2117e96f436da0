"""Issue 12, defect 1: a refusal at the desk never leaves a coupon reserved at the post office.

Every test goes through the real voucher stand-in over HTTP and delivers the outbox with the
real worker: what counts is what the post office holds at the end, and whether the resident
can use the coupon on another application.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from devtools.standins.vouchers import Coupon as PostOfficeCoupon
from issuance.db.models import Coupon, OutboxMessage
from issuance.delivery import outbox
from issuance.delivery.clients import VoucherClient
from issuance.delivery.clients.errors import CouponReservedByOther, ServiceTimeout
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import State
from issuance.errors import ApplicationHasCoupon, CouponBeingReleased, CouponRecordedForOther
from issuance.services import applications, coupons, enrolment
from tests.support.world import build_world

PAID_AT = "2026-11-20T09:30:00+01:00"


def _coupon(sandbox, code: str) -> str:
    sandbox.vouchers.add(PostOfficeCoupon(code, 6000, True, PAID_AT))
    return code


def _deliver(ctx, registers) -> outbox.RoundResult:
    return outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=2).run_until_idle()


def _held(sandbox, code: str) -> tuple[str, str | None]:
    coupon = sandbox.vouchers.get(code)
    return coupon.state, coupon.application_id


def _local(ctx, code: str) -> tuple[int | None, str] | None:
    with ctx.uow() as uow:
        row = uow.session.execute(select(Coupon).where(Coupon.code == code)).scalar_one_or_none()
        return None if row is None else (row.application_id, row.status)


def _state(ctx, application_id: int) -> str:
    with ctx.uow() as uow:
        from issuance.db.models import Application

        return uow.session.get(Application, application_id).state


class _Vouchers:
    """The real client, with something happening at the moment the post office answers."""

    def __init__(self, client: VoucherClient, after_reserve=None, before_reserve=None) -> None:
        self._client, self._after, self._before = client, after_reserve, before_reserve

    def reserve(self, code: str, application_id: str, card_type: str = "STANDARD"):
        if self._before is not None:
            before, self._before = self._before, None
            before()
        info = self._client.reserve(code, application_id, card_type)
        if self._after is not None:
            after, self._after = self._after, None
            after()
        return info


def test_second_coupon_on_a_draft_is_refused_and_stays_free(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    first, second = _coupon(sandbox, "TSTA00000001"), _coupon(sandbox, "TSTA00000002")
    draft = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, draft.id, first, registers.vouchers)

    with pytest.raises(ApplicationHasCoupon) as refused:
        coupons.verify_and_reserve(ctx, world.clerk, draft.id, second, registers.vouchers)
    for language in ("sq", "en"):
        assert first in refused.value.message(language)
        assert second in refused.value.message(language)
    assert "second coupon" in refused.value.message("en")

    _deliver(ctx, registers)
    assert _held(sandbox, second) == ("AVAILABLE", None)
    assert _held(sandbox, first) == ("RESERVED", draft.number)
    assert _state(ctx, draft.id) == State.COUPON_VERIFIED
    assert _local(ctx, first) == (draft.id, "reserved") and _local(ctx, second) is None

    # The resident's next application takes the second coupon.
    other = enrolment.start_draft(ctx, world.clerk)
    info = coupons.verify_and_reserve(ctx, world.clerk, other.id, second, registers.vouchers)
    assert (info.state, info.application_id) == ("RESERVED", other.number)
    assert _local(ctx, second) == (other.id, "reserved")

    # Cancelling the first draft gives its own coupon back, and only that one.
    applications.transition(ctx, world.clerk, draft.id, State.CANCELLED, reason="two coupons")
    assert _deliver(ctx, registers).alerted == 0
    assert _held(sandbox, first) == ("AVAILABLE", None)
    assert _held(sandbox, second) == ("RESERVED", other.number)
    assert _local(ctx, first) == (draft.id, "released")
    assert _local(ctx, second) == (other.id, "reserved")


def test_scanning_the_same_coupon_again_changes_nothing(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTA00000003")
    draft = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, draft.id, code, registers.vouchers)
    again = coupons.verify_and_reserve(ctx, world.clerk, draft.id, code.lower(), registers.vouchers)
    assert (again.code, again.state, again.application_id) == (code, "RESERVED", draft.number)
    assert _deliver(ctx, registers).claimed == 0
    assert _held(sandbox, code) == ("RESERVED", draft.number)
    assert _local(ctx, code) == (draft.id, "reserved")


def test_a_coupon_bound_to_another_application_is_refused_before_the_post_office(
    ctx, console, sandbox, registers
):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTA00000004")
    first = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, first.id, code, registers.vouchers)
    second = enrolment.start_draft(ctx, world.clerk)

    def must_not_be_called():
        raise AssertionError("the post office was asked")

    vouchers = _Vouchers(registers.vouchers, before_reserve=must_not_be_called)
    with pytest.raises(CouponRecordedForOther) as refused:
        coupons.verify_and_reserve(ctx, world.clerk, second.id, code, vouchers)
    assert code in refused.value.message("sq") and code in refused.value.message("en")
    assert _held(sandbox, code) == ("RESERVED", first.number)
    assert _state(ctx, second.id) == State.DRAFT


def test_a_refusal_after_the_post_office_said_yes_releases_the_coupon(
    ctx, console, sandbox, registers
):
    """Another desk verifies a coupon on the same draft while the post office reserves ours:
    the desk refuses ours, and the release goes out through the outbox."""
    world = build_world(ctx, console)
    winner, loser = _coupon(sandbox, "TSTA00000005"), _coupon(sandbox, "TSTA00000006")
    draft = enrolment.start_draft(ctx, world.clerk)

    def other_desk_wins():
        coupons.verify_and_reserve(ctx, world.clerk2, draft.id, winner, registers.vouchers)

    vouchers = _Vouchers(registers.vouchers, before_reserve=other_desk_wins)
    with pytest.raises(ApplicationHasCoupon):
        coupons.verify_and_reserve(ctx, world.clerk, draft.id, loser, vouchers)
    # The post office said yes to both; the desk wrote the release of the loser.
    assert _held(sandbox, loser) == ("RESERVED", draft.number)
    with ctx.uow() as uow:
        releases = uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.topic == "voucher.release")
        ).scalars().all()
    assert [(m.payload["code"], m.status) for m in releases] == [(loser, "pending")]

    assert _deliver(ctx, registers).delivered == 1
    assert _held(sandbox, loser) == ("AVAILABLE", None)
    assert _held(sandbox, winner) == ("RESERVED", draft.number)
    assert _local(ctx, winner) == (draft.id, "reserved") and _local(ctx, loser) is None

    other = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, other.id, loser, registers.vouchers)
    assert _held(sandbox, loser) == ("RESERVED", other.number)


def test_a_local_failure_after_the_post_office_said_yes_releases_the_coupon(
    ctx, console, sandbox, registers, monkeypatch
):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTA00000007")
    draft = enrolment.start_draft(ctx, world.clerk)

    def database_hiccup(*args, **kwargs):
        raise RuntimeError("connection reset while recording")

    with monkeypatch.context() as patched:
        patched.setattr(enrolment, "record_coupon", database_hiccup)
        with pytest.raises(RuntimeError):
            coupons.verify_and_reserve(ctx, world.clerk, draft.id, code, registers.vouchers)
    assert _held(sandbox, code) == ("RESERVED", draft.number)
    # Scanned again before the release went out: refused, so the late release cannot undo it.
    with pytest.raises(CouponBeingReleased):
        coupons.verify_and_reserve(ctx, world.clerk, draft.id, code, registers.vouchers)
    assert _deliver(ctx, registers).delivered == 1
    assert _held(sandbox, code) == ("AVAILABLE", None)
    # Once released it can be verified again, on the same draft, and it stays reserved.
    coupons.verify_and_reserve(ctx, world.clerk, draft.id, code, registers.vouchers)
    assert _deliver(ctx, registers).claimed == 0
    assert _held(sandbox, code) == ("RESERVED", draft.number)
    assert _local(ctx, code) == (draft.id, "reserved")
    # ... and a later cancellation releases it again (a second release of the same pair).
    applications.transition(ctx, world.clerk, draft.id, State.CANCELLED, reason="left")
    assert _deliver(ctx, registers).delivered == 1
    assert _held(sandbox, code) == ("AVAILABLE", None)


def _answer_lost():
    raise ServiceTimeout(VoucherClient.service)


def test_cancelling_a_draft_releases_a_reservation_whose_answer_was_lost(
    ctx, console, sandbox, registers
):
    """The post office reserved, but its answer never reached the desk (a timeout): nothing is
    bound locally, yet the cancellation releases it."""
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTA00000008")
    draft = enrolment.start_draft(ctx, world.clerk)
    vouchers = _Vouchers(registers.vouchers, after_reserve=_answer_lost)
    with pytest.raises(ServiceTimeout):
        coupons.verify_and_reserve(ctx, world.clerk, draft.id, code, vouchers)
    assert _deliver(ctx, registers).claimed == 0  # nothing is sent while the draft is open
    assert _held(sandbox, code) == ("RESERVED", draft.number)

    applications.transition(ctx, world.clerk, draft.id, State.CANCELLED, reason="left")
    assert _deliver(ctx, registers).delivered == 1
    assert _held(sandbox, code) == ("AVAILABLE", None)
    other = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, other.id, code, registers.vouchers)
    assert _held(sandbox, code) == ("RESERVED", other.number)


def test_a_lost_answer_then_the_same_coupon_again_keeps_it(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTA00000009")
    draft = enrolment.start_draft(ctx, world.clerk)
    vouchers = _Vouchers(registers.vouchers, after_reserve=_answer_lost)
    with pytest.raises(ServiceTimeout):
        coupons.verify_and_reserve(ctx, world.clerk, draft.id, code, vouchers)
    coupons.verify_and_reserve(ctx, world.clerk, draft.id, code, registers.vouchers)
    assert _deliver(ctx, registers).claimed == 0
    assert _held(sandbox, code) == ("RESERVED", draft.number)
    assert _local(ctx, code) == (draft.id, "reserved")


def test_a_lost_answer_then_another_coupon_releases_the_first(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    lost, kept = _coupon(sandbox, "TSTA00000010"), _coupon(sandbox, "TSTA00000011")
    draft = enrolment.start_draft(ctx, world.clerk)
    vouchers = _Vouchers(registers.vouchers, after_reserve=_answer_lost)
    with pytest.raises(ServiceTimeout):
        coupons.verify_and_reserve(ctx, world.clerk, draft.id, lost, vouchers)
    coupons.verify_and_reserve(ctx, world.clerk, draft.id, kept, registers.vouchers)
    assert _deliver(ctx, registers).delivered == 1
    assert _held(sandbox, lost) == ("AVAILABLE", None)
    assert _held(sandbox, kept) == ("RESERVED", draft.number)


def test_a_coupon_released_twice_is_released_both_times(ctx, console, sandbox, registers):
    """Cancelled, reused by the resident's next application, cancelled again."""
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTA00000012")
    for reason in ("first try", "second try"):
        draft = enrolment.start_draft(ctx, world.clerk)
        coupons.verify_and_reserve(ctx, world.clerk, draft.id, code, registers.vouchers)
        assert _held(sandbox, code) == ("RESERVED", draft.number)
        applications.transition(ctx, world.clerk, draft.id, State.CANCELLED, reason=reason)
        assert _deliver(ctx, registers).delivered == 1
        assert _held(sandbox, code) == ("AVAILABLE", None)
        assert _local(ctx, code) == (draft.id, "released")


def test_the_post_office_refusal_leaves_no_trace(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    draft = enrolment.start_draft(ctx, world.clerk)
    with pytest.raises(CouponReservedByOther):
        coupons.verify_and_reserve(ctx, world.clerk, draft.id, "PSH40000004", registers.vouchers)
    with ctx.uow() as uow:
        assert uow.session.execute(select(OutboxMessage)).scalars().all() == []
    applications.transition(ctx, world.clerk, draft.id, State.CANCELLED, reason="left")
    assert _deliver(ctx, registers).claimed == 0
    assert _held(sandbox, "PSH40000004") == ("RESERVED", "APP-DEMO-2")
