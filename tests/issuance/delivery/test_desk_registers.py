"""Coupon and permit use cases against the stand-in registers over real HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from issuance.db.models import Applicant, Application, Coupon, OutboxMessage, PermitSnapshot
from issuance.delivery import outbox
from issuance.delivery.clients import errors
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import State
from issuance.services import applications, coupons, enrolment, permits
from tests.conftest import raw_rows
from tests.support.world import build_world, fake_jpeg, fake_png

CELA_PERMIT, EXPIRED, REVOKED, HOLDS_CARD = "RP20240001", "RP20240028", "RP20240031", "RP20240024"


def _state(ctx, application_id):
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).state


def _worker(ctx, registers):
    return outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=2)


def _capture_all(ctx, clerk, application_id):
    enrolment.store_capture(ctx, clerk, application_id, kind="face", position="face",
                            image=fake_jpeg(), image_format="jpeg", quality=90)  # fmt: skip
    for position in enrolment.FINGER_POSITIONS:
        enrolment.store_capture(ctx, clerk, application_id, kind="finger", position=position,
                                image=fake_png(), image_format="png", quality=70)  # fmt: skip
    enrolment.store_signature(ctx, clerk, application_id, image=fake_png())
    enrolment.mark_biometrics_captured(ctx, clerk, application_id)


def test_coupon_and_permit_then_submission_consumes(ctx, console, registers):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    info = coupons.verify_and_reserve(
        ctx, world.clerk, application.id, "psh10000001 ", registers.vouchers
    )
    assert info.state == "RESERVED" and info.application_id == application.number
    record = permits.pull_permit(ctx, world.clerk, application.id, registers.fer,
                                 permit_number=CELA_PERMIT)  # fmt: skip
    assert _state(ctx, application.id) == State.PERMIT_LINKED
    with ctx.uow() as uow:
        applicant = uow.session.execute(select(Applicant)).scalar_one()
        snapshot = uow.session.execute(select(PermitSnapshot)).scalar_one()
    assert (applicant.surname, applicant.given_names) == ("Çela", "Ëndrit")
    assert applicant.surname.encode() == "Çela".encode()  # NFC, byte for byte
    assert applicant.address == record.address_in_albania
    assert snapshot.register_payload["permit_number"] == CELA_PERMIT
    _capture_all(ctx, world.clerk, application.id)
    enrolment.acknowledge_privacy_notice(ctx, world.clerk, application.id)
    enrolment.submit(ctx, world.clerk, application.id)
    # The post office hears of it through the outbox, not during submission.
    assert registers.vouchers.lookup("PSH10000001").state == "RESERVED"
    assert _worker(ctx, registers).run_until_idle().delivered == 1
    assert registers.vouchers.lookup("PSH10000001").state == "CONSUMED"


@pytest.mark.parametrize(
    "code,refusal",
    [
        ("PSH99999999", errors.CouponUnknown),
        ("PSH40000001", errors.CouponUnpaid),
        ("PSH40000002", errors.CouponWrongAmount),
        ("PSH40000003", errors.CouponAlreadyUsed),
        ("PSH40000004", errors.CouponReservedByOther),
    ],
)
def test_coupon_refusals_change_nothing(ctx, console, registers, code, refusal):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    with pytest.raises(refusal) as refused:
        coupons.verify_and_reserve(ctx, world.clerk, application.id, code, registers.vouchers)
    assert refused.value.message("sq") and refused.value.message("en")
    assert _state(ctx, application.id) == State.DRAFT
    assert raw_rows(ctx, "SELECT count(*) FROM coupons") == [(0,)]


def test_urgent_card_needs_the_urgent_fee(ctx, console, registers):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk, card_type="URGENT")
    with pytest.raises(errors.CouponWrongAmount):
        coupons.verify_and_reserve(ctx, world.clerk, application.id, "PSH10000002",
                                   registers.vouchers)  # fmt: skip
    coupons.verify_and_reserve(ctx, world.clerk, application.id, "PSH20000001", registers.vouchers)
    assert _state(ctx, application.id) == State.COUPON_VERIFIED


@pytest.mark.parametrize(
    "permit,refusal",
    [
        (EXPIRED, errors.PermitExpired),
        (REVOKED, errors.PermitRevoked),
        (HOLDS_CARD, errors.PermitHolderHasCard),
        ("RP20249999", errors.PermitNotFound),
    ],
)
def test_permit_refusals_change_nothing(ctx, console, registers, permit, refusal):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, application.id, "PSH10000003", registers.vouchers)
    with pytest.raises(refusal):
        permits.pull_permit(ctx, world.clerk, application.id, registers.fer, permit_number=permit)
    assert _state(ctx, application.id) == State.COUPON_VERIFIED
    assert raw_rows(ctx, "SELECT count(*) FROM applicants") == [(0,)]


def test_replacement_is_allowed_for_a_card_holder(ctx, console, registers):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk, card_type="REPLACEMENT")
    coupons.verify_and_reserve(ctx, world.clerk, application.id, "PSH30000001", registers.vouchers)
    permits.pull_permit(ctx, world.clerk, application.id, registers.fer, permit_number=HOLDS_CARD)
    assert _state(ctx, application.id) == State.PERMIT_LINKED


def test_by_passport_and_nationality(ctx, console, registers):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, application.id, "PSH10000004", registers.vouchers)
    record = permits.pull_permit(ctx, world.clerk, application.id, registers.fer,
                                 passport_number="PAB123456", nationality="ESP")  # fmt: skip
    assert (record.surname, record.given_names) == ("García López", "María José")


def test_cancel_releases_the_coupon_for_another_application(ctx, console, registers):
    world = build_world(ctx, console)
    first = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, first.id, "PSH10000005", registers.vouchers)
    applications.transition(ctx, world.clerk, first.id, State.CANCELLED, reason="applicant left")
    with ctx.uow() as uow:
        message = uow.session.execute(select(OutboxMessage)).scalar_one()
    assert message.topic == "voucher.release"
    _worker(ctx, registers).run_until_idle()
    assert registers.vouchers.lookup("PSH10000005").state == "AVAILABLE"
    second = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, second.id, "PSH10000005", registers.vouchers)
    with ctx.uow() as uow:
        coupon = uow.session.execute(select(Coupon)).scalar_one()
    assert (coupon.application_id, coupon.status) == (second.id, "reserved")


def test_contact_validation(ctx, console, registers):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    coupons.verify_and_reserve(ctx, world.clerk, application.id, "PSH10000006", registers.vouchers)
    permits.pull_permit(ctx, world.clerk, application.id, registers.fer, permit_number=CELA_PERMIT)
    with pytest.raises(errors.InvalidMobileNumber):
        enrolment.set_contact(ctx, world.clerk, application.id, mobile="012345", email=None)
    with pytest.raises(enrolment.InvalidEmail):
        enrolment.set_contact(ctx, world.clerk, application.id, mobile=None, email="nope")
    enrolment.set_contact(ctx, world.clerk, application.id, mobile="069 123 4567", email=None)
    assert raw_rows(ctx, "SELECT mobile FROM applicants") == [("+355691234567",)]
