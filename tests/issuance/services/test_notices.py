"""Notices to the resident: written with the change they report (submission, approval,
rejection with its reason, card ready, card revoked), once per event, and delivered to the
stand-in gateway by SMS and by e-mail when both are known; mobiles of any country."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select

from issuance.db.models import Applicant, Application, Card, OutboxMessage
from issuance.delivery import notifications, outbox
from issuance.delivery.clients.errors import InvalidMobileNumber
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import State
from issuance.services import applications, batches, enrolment
from tests.support.world import build_world, enrol_complete

FOREIGN = "+39 347 123 4567"  # an Italian mobile
E164 = "+393471234567"
MAIL = "giulia.rossi@example.it"


def _deliver(ctx, registers):
    worker = outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=2,
                                 rng=random.Random(9))  # fmt: skip
    result = worker.run_until_idle()
    assert result.alerted == 0
    return result


def _notices(ctx):
    """(topic, key) of every notice in the outbox, in order."""
    with ctx.uow() as uow:
        rows = uow.session.execute(
            select(OutboxMessage.topic, OutboxMessage.key, OutboxMessage.payload)
            .where(OutboxMessage.topic.in_((notifications.SMS, notifications.EMAIL)))
            .order_by(OutboxMessage.id)
        ).all()  # fmt: skip
    return rows


def _events(ctx, number):
    return [(topic, key) for topic, key, _ in _notices(ctx) if number in key]


def _number(ctx, application_id):
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).number


def _sent(sandbox, *parts):
    return sorted(
        (m.channel, m.to) for m in sandbox.notifications.sent() if all(p in m.text for p in parts)
    )


def _both(key):
    return [(notifications.SMS, key), (notifications.EMAIL, f"{key}:email")]


def test_submission_approval_and_card_ready_reach_sms_and_email(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk, coupon="PSH10000011",
                                    vouchers=registers.vouchers, mobile=FOREIGN,
                                    email=MAIL)  # fmt: skip
    number = _number(ctx, application_id)
    assert _events(ctx, number) == _both(f"submitted:{number}")
    _deliver(ctx, registers)
    assert _sent(sandbox, number, "u pranua") == [("EMAIL", MAIL), ("SMS", E164)]

    batches.approve(ctx, world.supervisor, application_id)
    applications.transition(ctx, world.card_operator, application_id, State.CARD_PRODUCED)
    _deliver(ctx, registers)  # the person confirmed: e-Albania ready, the card ready notice
    with ctx.uow() as uow:
        assert uow.session.get(Application, application_id).state == State.REGISTERED
    _deliver(ctx, registers)
    assert _events(ctx, number) == [
        *_both(f"submitted:{number}"), *_both(f"approved:{number}"),
        *_both(f"card-ready:{number}"),
    ]  # fmt: skip
    assert _sent(sandbox, number, "u miratua") == [("EMAIL", MAIL), ("SMS", E164)]
    assert _sent(sandbox, "është gati") == [("EMAIL", MAIL), ("SMS", E164)]
    # Once per event: telling it again (a repeated confirmation) adds nothing.
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        notifications.enqueue_card_ready(uow.session, application, at=ctx.clock())
        notifications.enqueue_submitted(uow.session, application, at=ctx.clock())
        uow.commit()
    assert len(_events(ctx, number)) == 6
    assert len(sandbox.notifications.sent()) == 6
    # Never a secret: no NID, no document number, no coupon in any text.
    with ctx.uow() as uow:
        nid = uow.session.execute(select(Applicant.nid)).scalar_one()
    assert not any(nid in m.text or "PSH10000011" in m.text for m in sandbox.notifications.sent())


def test_a_rejection_tells_the_reason_and_fits_an_sms(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk, coupon="PSH10000012",
                                    vouchers=registers.vouchers, mobile="069 123 4567",
                                    email=MAIL)  # fmt: skip
    number = _number(ctx, application_id)
    reason = "Fotografia nuk përputhet me pasaportën. " * 20
    batches.reject(ctx, world.supervisor, application_id, reason)
    assert _events(ctx, number)[-2:] == _both(f"rejected:{number}")
    _deliver(ctx, registers)
    refused = [m for m in sandbox.notifications.sent() if "refuzua" in m.text]
    [sms] = [m for m in refused if m.channel == "SMS"]
    [mail] = [m for m in refused if m.channel == "EMAIL"]
    assert sms.to == "+355691234567" and len(sms.text) <= notifications.SMS_MAX
    assert "Arsyeja / Reason: Fotografia nuk përputhet" in sms.text and sms.text.endswith("…")
    assert " ".join(reason.split()) in mail.text  # the e-mail has room for all of it


def test_only_the_known_channel_is_used(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    mobile_only = enrol_complete(ctx, world.clerk, coupon="PSH10000013",
                                 vouchers=registers.vouchers, mobile="0044 7700 900123",
                                 passport_number="P0000001", permit_number="LQ0000001")  # fmt: skip
    neither = enrol_complete(ctx, world.clerk, coupon="PSH10000014", vouchers=registers.vouchers,
                             passport_number="P0000002", permit_number="LQ0000002")  # fmt: skip
    number = _number(ctx, mobile_only)
    assert _events(ctx, number) == [(notifications.SMS, f"submitted:{number}")]
    assert _events(ctx, _number(ctx, neither)) == []
    _deliver(ctx, registers)
    assert _sent(sandbox, number) == [("SMS", "+447700900123")]


def test_a_revoked_card_is_told_once_and_a_death_never(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk, coupon="PSH10000015",
                                    vouchers=registers.vouchers, mobile=FOREIGN,
                                    email=MAIL)  # fmt: skip
    number = _number(ctx, application_id)
    now = ctx.clock()
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        card = Card(application_id=application.id, applicant_id=application.applicant_id,
                    document_number="TR1234567", status="revoked", issued_on=date(2026, 1, 1),
                    expires_on=date(2028, 1, 1), operator_id=world.card_operator.operator_id,
                    created_at=now)  # fmt: skip
        uow.session.add(card)
        uow.session.flush()
        for _ in range(2):
            notifications.enqueue_card_revoked(uow.session, card, "stolen", now)
        notifications.enqueue_card_revoked(uow.session, application, "death", now)
        uow.commit()
    assert [(topic, key) for topic, key, _ in _notices(ctx)] == [
        *_both(f"submitted:{number}"), *_both("card-revoked:TR1234567"),
    ]  # fmt: skip
    _deliver(ctx, registers)
    revoked = [m for m in sandbox.notifications.sent() if "u revokua" in m.text]
    assert sorted((m.channel, m.to) for m in revoked) == [("EMAIL", MAIL), ("SMS", E164)]
    assert "karta u deklarua e vjedhur" in revoked[0].text and "reported stolen" in revoked[0].text
    assert "TR1234567" not in revoked[0].text


def test_junk_mobile_is_refused_at_enrolment(ctx, console, registers):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    for junk in ("+39 347", "call me", "+0039 347 123 4567", "069 123 45"):
        with pytest.raises(InvalidMobileNumber):
            enrolment.set_contact(ctx, world.clerk, application.id, mobile=junk, email=None)


def test_approve_all_remaining_tells_each_resident_once(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    ids = [
        enrol_complete(
            ctx,
            world.clerk,
            coupon=f"PSH1000001{n + 6}",
            vouchers=registers.vouchers,
            mobile=f"+49 151 2345 678{n}",
            passport_number=f"P000010{n}",
            permit_number=f"LQ000010{n}",
        )  # fmt: skip
        for n in (1, 2)
    ]
    with ctx.uow() as uow:
        batch_id = uow.session.get(Application, ids[0]).batch_id
    summary = batches.approve_remaining(ctx, world.supervisor, batch_id)
    assert len(summary.approved) == 2
    approved = [key for topic, key, _ in _notices(ctx) if key.startswith("approved:")]
    assert sorted(approved) == sorted(f"approved:{_number(ctx, i)}" for i in ids)
    _deliver(ctx, registers)
    assert _sent(sandbox, "u miratua") == [("SMS", "+4915123456781"), ("SMS", "+4915123456782")]
