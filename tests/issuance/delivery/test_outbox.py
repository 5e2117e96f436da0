"""Delivery to the civil registry and the notification gateway: exactly once, through faults."""

from __future__ import annotations

import random
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from devtools.standins.civil_registry import _fingerprint
from issuance.db.models import Application, AuditEvent, OutboxMessage
from issuance.delivery import civil_registry, outbox
from issuance.delivery.clients import BiographicData
from issuance.delivery.registers import outbox_handlers
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.security.permissions import Actor
from issuance.services import applications, enrolment
from tests.support.registers import seed_approved
from tests.support.world import build_world, enrol_complete


def _worker(ctx, registers, **kw):
    return outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=4,
                               rng=random.Random(7), **kw)  # fmt: skip


def _messages(ctx):
    with ctx.uow() as uow:
        return uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


def _faults(sandbox, name, **settings):
    httpx.post(f"{sandbox.url(name)}/_sandbox/faults", json=settings, timeout=5).raise_for_status()


def _clear(sandbox, name):
    httpx.delete(f"{sandbox.url(name)}/_sandbox/faults", timeout=5).raise_for_status()


def test_approval_reaches_the_registry_and_reads_back(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    nid = workflow_approve(ctx, world, application_id)
    before = sandbox.civil_registry.person_count()
    assert _worker(ctx, registers).run_until_idle().delivered == 1
    assert sandbox.civil_registry.person_count() == before + 1
    stored = sandbox.civil_registry.person(nid)["identities"][0]["biographicData"]
    assert (stored["lastName"], stored["firstName"], stored["fatherName"]) == (
        "Çela", "Ëndrit Besnik", "Gëzim")  # fmt: skip
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
    # Confirmed, but the card is not produced yet: not "e-Albania ready" until both are.
    assert application.registry_confirmed_at is not None and application.state == "approved"


def workflow_approve(ctx, world, application_id):
    from issuance.services import batches

    return batches.approve(ctx, world.supervisor, application_id)


def test_card_then_confirmation_makes_it_ready_and_notifies(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    application_id = enrol_complete(
        ctx, world.clerk, coupon="PSH10000007", vouchers=registers.vouchers
    )
    enrolment.set_contact(ctx, world.clerk, application_id, mobile="0691234567", email=None)
    workflow_approve(ctx, world, application_id)
    applications.transition(ctx, world.card_operator, application_id, State.CARD_PRODUCED)
    result = _worker(ctx, registers).run_until_idle()
    # Coupon consumed, person created, the approval's SMS and the card-ready SMS sent.
    assert result.delivered == 4
    with ctx.uow() as uow:
        assert uow.session.get(Application, application_id).state == State.REGISTERED
    sms = [m for m in sandbox.notifications.sent() if m.channel == "SMS" and "është gati" in m.text]
    assert len(sms) == 1 and sms[0].to == "+355691234567"


def test_confirmation_then_card_makes_it_ready(ctx, console, registers):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    workflow_approve(ctx, world, application_id)
    _worker(ctx, registers).run_until_idle()
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        workflow.apply(uow.session, world.card_operator, application, State.CARD_PRODUCED,
                       at=ctx.clock())  # fmt: skip
        assert civil_registry.mark_registered_if_ready(uow.session, application, ctx.clock())
        uow.commit()
    with ctx.uow() as uow:
        assert uow.session.get(Application, application_id).state == State.REGISTERED


def test_a_registry_that_changes_the_name_is_an_alert(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    application_id = enrol_complete(
        ctx, world.clerk, coupon="PSH10000008", vouchers=registers.vouchers
    )
    nid = workflow_approve(ctx, world, application_id)
    message = next(m for m in _messages(ctx) if m.topic == civil_registry.TOPIC)
    # The registry already holds this NID, accepts our data as the same, but stores the name
    # without its diacritics: what read-back comparison exists to catch.
    data = {k: v for k, v in message.payload["person"].items()}
    stored = {"personId": nid, **data}
    stored["identities"] = [{**data["identities"][0], "identityId": f"{nid}-1"}]
    stored["identities"][0]["biographicData"] = {
        **data["identities"][0]["biographicData"], "lastName": "Cela"}  # fmt: skip
    sandbox.civil_registry._persons[nid] = (_fingerprint(data), stored)
    _worker(ctx, registers).run_until_idle()
    alert = next(m for m in _messages(ctx) if m.topic == civil_registry.TOPIC)
    assert alert.status == "alert" and "Surname" in alert.last_error
    with ctx.uow() as uow:
        assert uow.session.get(Application, application_id).registry_confirmed_at is None
        events = uow.session.execute(
            select(AuditEvent.action).where(AuditEvent.action == "outbox.alert")
        ).scalars().all()
    assert events == ["outbox.alert"]
    assert outbox.backlog(ctx).alerts == 1


def test_differences_names_every_field():
    a = BiographicData("Ëndrit", "Çela", __import__("datetime").date(1990, 1, 1), "M", "RKS")
    b = BiographicData("Endrit", "Çela", a.date_of_birth, "F", "RKS")
    assert civil_registry.differences(a, b) == ["first_name", "gender"]


def test_outage_for_the_whole_run_then_recovery(ctx, sandbox, registers, clock):
    nids = seed_approved(ctx, 12)
    before = sandbox.civil_registry.person_count()
    sandbox.suspend("civil-registry")
    worker = _worker(ctx, registers)
    for _ in range(3):
        assert worker.run_until_idle().delivered == 0
        clock.advance(minutes=10)
    waiting = outbox.backlog(ctx)
    assert waiting.pending == 12 and waiting.alerts == 0
    assert all(m.attempts == 3 and "civil registry" in m.last_error for m in _messages(ctx))
    sandbox.resume("civil-registry")
    clock.advance(minutes=10)
    assert worker.run_until_idle().delivered == 12
    assert sandbox.civil_registry.person_count() == before + 12
    assert all(sandbox.civil_registry.person(n) for n in nids)
    assert outbox.backlog(ctx).pending == 0


def test_timeouts_500s_and_garbage_are_retried_then_delivered_once(ctx, sandbox, registers, clock):
    seed_approved(ctx, 6)
    before = sandbox.civil_registry.person_count()
    worker = _worker(ctx, registers)
    for faults in ({"error_rate": 1.0}, {"malformed_rate": 1.0},
                   {"latency_ms": 2500}, {"timeout_rate": 1.0, "hang_ms": 2500}):  # fmt: skip
        _faults(sandbox, "civil-registry", **faults)
        result = worker.run_once()
        assert result.retried == 6 and result.delivered == 0, faults
        clock.advance(hours=1)
    _clear(sandbox, "civil-registry")
    assert worker.run_until_idle().delivered == 6
    assert sandbox.civil_registry.person_count() == before + 6
    with ctx.uow() as uow:
        confirmed = uow.session.execute(
            select(func.count()).where(AuditEvent.action == "civil_registry.confirmed")
        ).scalar_one()
    assert confirmed == 6


def test_backoff_grows_with_jitter():
    backoff, rng = outbox.Backoff(base_s=1, factor=2, cap_s=60), random.Random(1)
    delays = [backoff.delay(n, rng) for n in range(1, 10)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(60, 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(backoff.delay(5, rng), 6) for _ in range(20)}) > 1


def test_a_retry_waits_for_its_backoff(ctx, sandbox, registers, clock):
    seed_approved(ctx, 1)
    sandbox.suspend("civil-registry")
    worker = _worker(ctx, registers, backoff=outbox.Backoff(base_s=30, cap_s=30))
    assert worker.run_once().retried == 1
    sandbox.resume("civil-registry")
    assert worker.run_once().claimed == 0  # not due yet
    clock.advance(seconds=31)
    assert worker.run_once().delivered == 1


def test_a_lost_worker_is_covered_by_the_lease(ctx, sandbox, registers, clock):
    seed_approved(ctx, 3)
    worker = _worker(ctx, registers, lease=timedelta(seconds=5))
    assert len(worker._claim()) == 3  # claimed, then the worker "dies"
    assert worker.run_once().claimed == 0
    clock.advance(seconds=6)
    assert worker.run_once().delivered == 3


def test_outbox_delivery_is_done_by_the_system_actor(ctx, sandbox, registers):
    seed_approved(ctx, 1)
    _worker(ctx, registers).run_until_idle()
    with ctx.uow() as uow:
        actors = uow.session.execute(
            select(AuditEvent.actor).where(AuditEvent.action == "civil_registry.confirmed")
        ).scalars().all()
    assert actors == [Actor.system("outbox").label]
