"""Delivery alerts through the services, with the outbox delivering to the stand-ins: listed
with their reason in both languages (and a read-back's differing fields side by side), sent
again once the cause is fixed, or resolved with a note that moves the application on."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from devtools.standins import Sandbox, SandboxConfig
from issuance.db.models import Application, AuditEvent, OutboxMessage
from issuance.delivery import civil_registry, notifications, outbox
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import State
from issuance.security.permissions import NotPermitted, OtherOfficesApplication
from issuance.services import alerts, applications, batches
from tests.support.registers import registers_for
from tests.support.world import build_world, enrol_complete

API_KEY = "desk-key-2026"


@pytest.fixture
def sandbox():
    sb = Sandbox(SandboxConfig(api_key=API_KEY)).start()
    yield sb
    sb.stop()


def _registers(sandbox, key):
    """The desk's clients of the stand-ins, sending ``key`` as their API key."""
    return registers_for(sandbox.urls(), api_key=key)


@pytest.fixture
def right(sandbox):
    regs = _registers(sandbox, API_KEY)
    yield regs
    regs.close()


@pytest.fixture
def wrong(sandbox):
    regs = _registers(sandbox, "not-the-key")
    yield regs
    regs.close()


def _deliver(ctx, registers):
    worker = outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=2,
                                 rng=random.Random(5))  # fmt: skip
    return worker.run_until_idle()


def _produced(ctx, world, right, coupon):
    """A submitted, approved application whose card is produced: waiting for the registry."""
    application_id = enrol_complete(ctx, world.clerk, coupon=coupon, vouchers=right.vouchers)
    batches.approve(ctx, world.supervisor, application_id)
    applications.transition(ctx, world.card_operator, application_id, State.CARD_PRODUCED)
    return application_id


def _application(ctx, application_id):
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id)


def _message(ctx, alert_id):
    with ctx.uow() as uow:
        return uow.session.get(OutboxMessage, alert_id)


def _events(ctx, action):
    with ctx.uow() as uow:
        return uow.session.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        ).scalars().all()  # fmt: skip


def _audit_count(ctx):
    with ctx.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def _registry_alert(ctx, actor):
    return next(a for a in alerts.list_alerts(ctx, actor) if a.topic == civil_registry.TOPIC)


def test_a_wrong_api_key_is_listed_then_retried_once_the_key_is_fixed(
    ctx, console, sandbox, right, wrong, clock
):
    world = build_world(ctx, console)
    application_id = _produced(ctx, world, right, "PSH10000011")
    number = _application(ctx, application_id).number
    result = _deliver(ctx, wrong)
    assert result.alerted == 2 and result.delivered == 0  # the coupon and the person

    listed = alerts.list_alerts(ctx, world.supervisor)
    assert {a.topic for a in listed} == {civil_registry.TOPIC, "voucher.consume"}
    alert = _registry_alert(ctx, world.supervisor)
    assert alert.application_number == number
    assert alert.topic_name("sq") == "Regjistrimi i personit në Gjendjen Civile"
    assert alert.topic_name("en") == "Person registered at the civil registry"
    assert "401" in alert.reason("en") and alert.reason("sq") != alert.reason("en")
    assert alert.at == clock() and alert.differences == ()
    assert alerts.get_alert(ctx, world.supervisor, alert.id) == alert
    # The administrator (and the console) see every office's alerts.
    assert {a.id for a in alerts.list_alerts(ctx, console)} == {a.id for a in listed}

    clock.advance(minutes=5)
    for each in listed:
        alerts.retry_alert(ctx, world.supervisor, each.id)
    assert alerts.list_alerts(ctx, world.supervisor) == []
    assert _message(ctx, alert.id).status == outbox.PENDING
    retried = _events(ctx, "outbox.retried")
    assert len(retried) == 2 and retried[-1].actor == world.supervisor.username
    assert {e.details["application"] for e in retried} == {number}

    result = _deliver(ctx, right)
    assert result.alerted == 0 and result.delivered >= 2
    application = _application(ctx, application_id)
    assert application.state == State.REGISTERED and application.registry_confirmed_at
    assert _message(ctx, alert.id).status == outbox.DELIVERED
    assert outbox.backlog(ctx).alerts == 0
    with pytest.raises(alerts.NotAnAlert):
        alerts.retry_alert(ctx, world.supervisor, alert.id)


def _mismatching(ctx, console, sandbox, right):
    """An application whose person the registry holds with another given name."""
    world = build_world(ctx, console)
    application_id = _produced(ctx, world, right, "PSH10000012")
    with ctx.uow() as uow:
        message = uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.topic == civil_registry.TOPIC)
        ).scalar_one()
        data, nid = dict(message.payload["person"]), message.payload["nid"]
    sandbox.civil_registry.hold_spelled_otherwise(nid, data, "Endrit Besnik")
    assert _deliver(ctx, right).alerted == 1
    return world, application_id


def test_a_read_back_mismatch_shows_the_differing_fields_side_by_side(ctx, console, sandbox, right):
    world, application_id = _mismatching(ctx, console, sandbox, right)
    alert = _registry_alert(ctx, world.supervisor)
    assert [(d.field, d.sent, d.registry) for d in alert.differences] == [
        ("first_name", "Ëndrit Besnik", "Endrit Besnik")
    ]
    assert alert.differences[0].name("sq") == "Emri"
    assert alert.differences[0].name("en") == "Given names"
    assert "Given names" in alert.reason("en") and "first_name" not in alert.reason("en")
    assert "Regjistri Civil" in alert.reason("sq") and "Emri" in alert.reason("sq")
    assert _application(ctx, application_id).state == State.CARD_PRODUCED


def test_an_alert_resolved_with_a_note_moves_the_application_on(
    ctx, console, sandbox, right, clock
):
    world, application_id = _mismatching(ctx, console, sandbox, right)
    alert = _registry_alert(ctx, world.supervisor)
    clock.advance(hours=1)
    note = "Confirmed by phone with the civil registry office: spelling Ëndrit is theirs too."
    resolution = alerts.resolve_alert(ctx, world.supervisor, alert.id, f"  {note} ")
    assert resolution.registered and resolution.application_number == alert.application_number
    application = _application(ctx, application_id)
    assert application.state == State.REGISTERED
    assert application.registry_confirmed_at == clock()
    assert _message(ctx, alert.id).status == outbox.RESOLVED
    assert alerts.list_alerts(ctx, world.supervisor) == []
    assert outbox.backlog(ctx).alerts == 0
    [resolved] = _events(ctx, "outbox.resolved")
    assert resolved.details["note"] == note and resolved.actor == world.supervisor.username
    confirmed = _events(ctx, "civil_registry.confirmed")[-1]
    assert confirmed.details["by_other_means"] is True and confirmed.details["note"] == note
    with pytest.raises(alerts.NotAnAlert):
        alerts.resolve_alert(ctx, world.supervisor, alert.id, "again")


def test_resolving_without_a_note_is_refused_and_changes_nothing(ctx, console, sandbox, right):
    world, application_id = _mismatching(ctx, console, sandbox, right)
    alert = _registry_alert(ctx, world.supervisor)
    before = _audit_count(ctx)
    for note in ("", "   \n\t"):
        with pytest.raises(alerts.NoteRequired) as refused:
            alerts.resolve_alert(ctx, world.supervisor, alert.id, note)
        assert refused.value.sq and refused.value.en
    assert _message(ctx, alert.id).status == outbox.ALERT
    assert _application(ctx, application_id).state == State.CARD_PRODUCED
    assert _audit_count(ctx) == before


def test_a_clerk_and_another_offices_supervisor_are_refused(ctx, console, sandbox, right):
    world, application_id = _mismatching(ctx, console, sandbox, right)
    other = build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës",
                        prefix="dr_")  # fmt: skip
    alert = _registry_alert(ctx, world.supervisor)
    before = _audit_count(ctx)
    for actor in (world.clerk, world.card_operator):
        with pytest.raises(NotPermitted):
            alerts.list_alerts(ctx, actor)
        with pytest.raises(NotPermitted):
            alerts.retry_alert(ctx, actor, alert.id)
        with pytest.raises(NotPermitted):
            alerts.resolve_alert(ctx, actor, alert.id, "note")
    assert alerts.list_alerts(ctx, other.supervisor) == []
    with pytest.raises(OtherOfficesApplication):
        alerts.get_alert(ctx, other.supervisor, alert.id)
    with pytest.raises(OtherOfficesApplication):
        alerts.retry_alert(ctx, other.supervisor, alert.id)
    with pytest.raises(OtherOfficesApplication):
        alerts.resolve_alert(ctx, other.supervisor, alert.id, "confirmed")
    with pytest.raises(alerts.AlertNotFound):
        alerts.retry_alert(ctx, world.supervisor, 999_999)
    assert _message(ctx, alert.id).status == outbox.ALERT
    assert _application(ctx, application_id).state == State.CARD_PRODUCED
    assert _audit_count(ctx) == before


def test_a_notice_that_failed_for_good_is_its_applications_alert(ctx, console, sandbox, right):
    """A notice the gateway refused is listed with its application, also one written before
    notices named it in their payload (its key does)."""
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk, coupon="PSH10000013",
                                    vouchers=right.vouchers)  # fmt: skip
    number = _application(ctx, application_id).number
    with ctx.uow() as uow:
        message = outbox.enqueue(
            uow.session, notifications.SMS, f"card-ready:{number}",
            {"mobile": "+355691234567", "text": "Karta juaj e qëndrimit është gati."},
            at=ctx.clock(),
        )  # fmt: skip
        message.status, message.last_error = outbox.ALERT, "refused"
        uow.commit()
    [alert] = alerts.list_alerts(ctx, world.supervisor)
    assert alert.application_number == number and alert.topic_name("en") == "SMS to the applicant"
    assert alert.reason("en") == "refused" and alert.reason("sq").endswith("refused")
    alerts.resolve_alert(ctx, world.supervisor, alert.id, "Told by phone")
    assert _application(ctx, application_id).state == State.SUBMITTED  # nothing else moves
