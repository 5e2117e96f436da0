"""Issue 14 (4): no application number before the coupon verified, the card type follows the
coupon, a clerk discards a draft, a supervisor cancels a submitted application; the post
office gets its coupon back through the outbox. Real voucher stand-in over HTTP, real outbox
worker, SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from devtools.standins.vouchers import Coupon as PostOfficeCoupon
from issuance.db.models import Application, AuditEvent, Coupon, Sequence
from issuance.delivery import outbox
from issuance.delivery.clients.errors import CouponUnknown, CouponUnpaid
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import ReasonRequired, State
from issuance.security.permissions import NotPermitted
from issuance.services import applications, coupons, enrolment
from issuance.services.applications import ApplicationClosed, CardAlreadyProduced
from issuance.services.enrolment import NotADraft
from tests.support.world import build_world, enrol_complete

PAID_AT = "2026-11-20T09:30:00+01:00"


def _coupon(sandbox, code: str, amount: int = 6000, paid: bool = True) -> str:
    sandbox.vouchers.add(PostOfficeCoupon(code, amount, paid, PAID_AT if paid else None))
    return code


def _deliver(ctx, registers) -> outbox.RoundResult:
    return outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=2).run_until_idle()


def _held(sandbox, code: str) -> tuple[str, str | None]:
    coupon = sandbox.vouchers.get(code)
    return coupon.state, coupon.application_id


def _count(ctx, model) -> int:
    with ctx.read() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def _application(ctx, application_id: int) -> Application:
    with ctx.read() as uow:
        application = uow.session.get(Application, application_id)
        uow.session.expunge(application)
        return application


def _events(ctx, action: str) -> list[dict]:
    with ctx.read() as uow:
        return [
            e.details for e in uow.session.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).scalars()
        ]  # fmt: skip


def test_a_mistyped_coupon_creates_no_application_and_no_number(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    _coupon(sandbox, "TSTC00000001")
    with pytest.raises(CouponUnknown) as refused:
        coupons.open_with_coupon(ctx, world.clerk, "TSTC00000009", registers.vouchers)
    assert "TSTC00000009" in refused.value.message("sq")
    unpaid = _coupon(sandbox, "TSTC00000002", paid=False)
    with pytest.raises(CouponUnpaid):
        coupons.open_with_coupon(ctx, world.clerk, unpaid, registers.vouchers)
    with pytest.raises(CouponUnknown):
        coupons.open_with_coupon(ctx, world.clerk, "no such!", registers.vouchers)
    assert _count(ctx, Application) == 0
    with ctx.read() as uow:
        counters = uow.session.execute(
            select(Sequence.name).where(Sequence.name.like("application:%"))
        ).all()
    assert counters == []  # not even a number drawn and given back

    opened = coupons.open_with_coupon(ctx, world.clerk, "tstc00000001", registers.vouchers)
    assert opened.number.endswith("-000001")  # the first number goes to the first good coupon
    assert _held(sandbox, "TSTC00000001") == ("RESERVED", opened.number)
    assert _application(ctx, opened.id).state == State.COUPON_VERIFIED


@pytest.mark.parametrize(
    ("amount", "card_type"), [(9000, "URGENT"), (6000, "STANDARD"), (7500, "REPLACEMENT")]
)
def test_the_card_type_follows_the_coupon(ctx, console, sandbox, registers, amount, card_type):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTC00000010", amount)
    opened = coupons.open_with_coupon(ctx, world.clerk, code, registers.vouchers)
    assert opened.card_type == card_type
    assert _application(ctx, opened.id).card_type == card_type
    with ctx.read() as uow:
        coupon = uow.session.execute(select(Coupon).where(Coupon.code == code)).scalar_one()
        assert (coupon.card_type, coupon.amount_lek, coupon.status) == (
            card_type, amount, "reserved"
        )
    assert _events(ctx, "application.started")[-1]["card_type"] == card_type


def test_an_urgent_coupon_on_a_draft_left_without_coupon_makes_it_urgent(
    ctx, console, sandbox, registers
):
    """The desk died after opening a draft and before its coupon was bound: the coupon scanned
    on the resumed draft decides its card type (no dead end)."""
    world = build_world(ctx, console)
    draft = enrolment.start_draft(ctx, world.clerk, card_type="STANDARD")
    code = _coupon(sandbox, "TSTC00000011", 9000)
    opened = coupons.open_with_coupon(
        ctx, world.clerk, code, registers.vouchers, application_id=draft.id
    )
    assert (opened.id, opened.card_type) == (draft.id, "URGENT")
    assert _held(sandbox, code) == ("RESERVED", draft.number)


def test_a_coupon_reserved_for_a_draft_whose_desk_died_goes_back_to_that_draft(
    ctx, console, sandbox, registers
):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTC00000012")
    draft = enrolment.start_draft(ctx, world.clerk, coupon=code)
    registers.vouchers.reserve(code, draft.number, "STANDARD")  # ...and the desk died here
    opened = coupons.open_with_coupon(ctx, world.clerk, code, registers.vouchers)
    assert (opened.id, opened.number) == (draft.id, draft.number)
    assert _application(ctx, draft.id).state == State.COUPON_VERIFIED
    assert _count(ctx, Application) == 1


def test_a_clerk_discards_a_draft_and_the_post_office_gets_the_coupon_back(
    ctx, console, sandbox, registers
):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTC00000020")
    opened = coupons.open_with_coupon(ctx, world.clerk, code, registers.vouchers)
    discarded = enrolment.discard_draft(ctx, world.clerk, opened.id)  # no reason: optional
    assert (discarded.number, discarded.coupon, discarded.reason) == (opened.number, code, None)
    assert _application(ctx, opened.id).state == State.CANCELLED
    assert _events(ctx, "application.discarded")[-1] == {
        "number": opened.number, "reason": None, "coupon": code,
    }  # fmt: skip

    assert _deliver(ctx, registers).alerted == 0
    assert _held(sandbox, code) == ("AVAILABLE", None)
    # The resident's coupon backs their next application.
    again = coupons.open_with_coupon(ctx, world.clerk, code, registers.vouchers)
    assert _held(sandbox, code) == ("RESERVED", again.number)

    with_reason = enrolment.discard_draft(ctx, world.clerk, again.id, "  wrong person ")
    assert with_reason.reason == "wrong person"
    assert _application(ctx, again.id).decision_reason == "wrong person"


def test_only_a_draft_is_discarded(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTC00000021")
    submitted = enrol_complete(ctx, world.clerk, coupon=code, vouchers=registers.vouchers)
    with pytest.raises(NotADraft) as refused:
        enrolment.discard_draft(ctx, world.clerk, submitted)
    assert "supervisor" in refused.value.message("en")
    assert "mbikëqyrësi" in refused.value.message("sq")
    assert _application(ctx, submitted).state == State.SUBMITTED


def test_a_supervisor_cancels_a_submitted_application_and_the_coupon_is_given_back(
    ctx, console, sandbox, registers
):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTC00000030")
    application_id = enrol_complete(ctx, world.clerk, coupon=code, vouchers=registers.vouchers)
    _deliver(ctx, registers)
    assert _held(sandbox, code)[0] == "CONSUMED"

    with pytest.raises(NotPermitted):
        applications.cancel(ctx, world.clerk, application_id, "applicant asked")
    for blank in ("", "   "):
        with pytest.raises(ReasonRequired):
            applications.cancel(ctx, world.supervisor, application_id, blank)
    assert _application(ctx, application_id).state == State.SUBMITTED

    done = applications.cancel(ctx, world.supervisor, application_id, " applicant withdrew ")
    assert (done.previous_state, done.reason, done.coupon) == (
        "submitted", "applicant withdrew", code
    )
    application = _application(ctx, application_id)
    assert (application.state, application.decision_reason) == (
        State.CANCELLED, "applicant withdrew"
    )
    event = _events(ctx, "application.cancelled")[-1]
    assert (event["reason"], event["from"], event["coupon"]) == ("applicant withdrew",
                                                                 "submitted", code)
    assert _deliver(ctx, registers).alerted == 0
    assert _held(sandbox, code) == ("AVAILABLE", None)
    with ctx.read() as uow:
        assert uow.session.execute(select(Coupon.status).where(Coupon.code == code)).scalar() == (
            "released"
        )
    with pytest.raises(ApplicationClosed):
        applications.cancel(ctx, world.supervisor, application_id, "again")


def test_cancelling_before_the_consumption_was_told_gives_the_coupon_back(
    ctx, console, sandbox, registers
):
    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTC00000031")
    application_id = enrol_complete(ctx, world.clerk, coupon=code, vouchers=registers.vouchers)
    applications.cancel(ctx, world.supervisor, application_id, "entered twice")
    assert _deliver(ctx, registers).alerted == 0
    assert _held(sandbox, code) == ("AVAILABLE", None)
    # Used again by the resident's next application, and consumed for it.
    again = enrol_complete(ctx, world.clerk, coupon=code, vouchers=registers.vouchers)
    assert _deliver(ctx, registers).alerted == 0
    assert _held(sandbox, code) == ("CONSUMED", _application(ctx, again).number)


def test_an_approved_application_is_cancelled_but_not_once_its_card_is_produced(
    ctx, console, sandbox, registers
):
    from issuance.services import batches

    world = build_world(ctx, console)
    first = enrol_complete(ctx, world.clerk, coupon=_coupon(sandbox, "TSTC00000040"),
                           vouchers=registers.vouchers)  # fmt: skip
    batches.approve(ctx, world.supervisor, first)
    applications.cancel(ctx, world.supervisor, first, "permit withdrawn by the applicant")
    assert _application(ctx, first).state == State.CANCELLED

    second = enrol_complete(
        ctx, world.clerk, coupon=_coupon(sandbox, "TSTC00000041"), vouchers=registers.vouchers,
        permit_number="LQ7654321", passport_number="P7654321",
    )  # fmt: skip
    batches.approve(ctx, world.supervisor, second)
    applications.transition(ctx, world.card_operator, second, State.CARD_PRODUCED)
    with pytest.raises(CardAlreadyProduced) as refused:
        applications.cancel(ctx, world.supervisor, second, "too late")
    assert "Revoke the card" in refused.value.message("en")
    assert _application(ctx, second).state == State.CARD_PRODUCED


def test_the_console_finds_an_application_by_its_number(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    opened = coupons.open_with_coupon(
        ctx, world.clerk, _coupon(sandbox, "TSTC00000050"), registers.vouchers
    )
    assert applications.find_by_number(ctx, world.administrator, opened.number.lower()) == (
        opened.id
    )
    with pytest.raises(applications.ApplicationNumberUnknown):
        applications.find_by_number(ctx, world.administrator, "TR-1999-000001")


class _Racing:
    """The real client; another desk reserves the coupon just after this desk looked it up."""

    def __init__(self, client, sandbox) -> None:
        self._client, self._sandbox = client, sandbox

    def lookup(self, code):
        info = self._client.lookup(code)
        coupon = self._sandbox.vouchers.get(code)
        self._sandbox.vouchers.add(
            PostOfficeCoupon(code, coupon.amount_lek, True, PAID_AT, "RESERVED", "DR-2026-000001")
        )
        return info

    def __getattr__(self, name):
        return getattr(self._client, name)


def test_a_coupon_lost_to_another_desk_after_it_verified_leaves_a_discarded_draft(
    ctx, console, sandbox, registers
):
    from issuance.delivery.clients.errors import CouponReservedByOther

    world = build_world(ctx, console)
    code = _coupon(sandbox, "TSTC00000060")
    with pytest.raises(CouponReservedByOther):
        coupons.open_with_coupon(ctx, world.clerk, code, _Racing(registers.vouchers, sandbox))
    with ctx.read() as uow:
        [application] = uow.session.execute(select(Application)).scalars().all()
        assert application.state == State.CANCELLED
        assert "reserved by another application" in application.decision_reason
        assert uow.session.execute(select(Coupon)).first() is None
    assert _deliver(ctx, registers).delivered == 0  # nothing of ours to release
    assert _held(sandbox, code) == ("RESERVED", "DR-2026-000001")
