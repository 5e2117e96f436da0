"""The civil registry's confirmations of a round are written together (``settle``): each
application under the version it was read with, as the ORM writes them one by one."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm.exc import StaleDataError

from issuance.db.models import Application, AuditEvent, OutboxMessage
from issuance.delivery import civil_registry, outbox
from issuance.delivery.outbox import Claimed
from issuance.delivery.registers import outbox_handlers
from issuance.security import audit
from tests.support.registers import seed_approved


def _versions(ctx) -> dict[int, tuple[int, object]]:
    with ctx.uow() as uow:
        rows = uow.session.execute(
            select(Application.id, Application.version, Application.registry_confirmed_at)
        )
        return {row.id: (row.version, row.registry_confirmed_at) for row in rows}


def _claimed(ctx) -> list[Claimed]:
    with ctx.uow() as uow:
        messages = uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.topic == civil_registry.TOPIC)
        ).scalars()
        return [Claimed(m.id, m.topic, m.key, dict(m.payload), 1) for m in messages]


def test_a_round_confirms_every_application_once_with_its_next_version(ctx, registers):
    seed_approved(ctx, 30)
    before = _versions(ctx)
    worker = outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=4,
                                 rng=random.Random(5))  # fmt: skip
    result = worker.run_until_idle()
    assert result.delivered == 30 and result.alerted == result.retried == 0
    after = _versions(ctx)
    assert set(after) == set(before)
    for application_id, (version, confirmed_at) in after.items():
        assert version == before[application_id][0] + 1
        assert confirmed_at is not None
    with ctx.uow() as uow:
        audited = uow.session.execute(
            select(AuditEvent.entity_id).where(AuditEvent.action == "civil_registry.confirmed")
        ).scalars().all()  # fmt: skip
    assert sorted(int(e) for e in audited) == sorted(after)


def test_a_message_confirmed_twice_in_a_round_writes_its_application_once(ctx, registers):
    seed_approved(ctx, 1)
    [message] = _claimed(ctx)
    [(application_id, (version, _))] = _versions(ctx).items()
    handler = civil_registry.CivilRegistryHandler(registers.civil_registry)
    result = {"created": True, "existing": False}
    with ctx.uow() as uow:
        handler.prepare(uow.session, [message, message])
        handler.confirm(uow.session, message, result, ctx.clock())
        handler.confirm(uow.session, message, result, ctx.clock())
        handler.settle(uow.session)
        uow.commit()
    assert _versions(ctx)[application_id][0] == version + 1


def test_an_application_changed_after_it_was_read_fails_the_round(ctx, registers):
    seed_approved(ctx, 2)
    messages = _claimed(ctx)
    before = _versions(ctx)
    handler = civil_registry.CivilRegistryHandler(registers.civil_registry)
    result = {"created": True, "existing": False}
    changed = messages[1].payload["application_id"]
    with ctx.uow() as uow:
        handler.prepare(uow.session, messages)
        for message in messages:
            handler.confirm(uow.session, message, result, ctx.clock())
        # Another change of one of them, in between (as a desk's on PostgreSQL could be).
        uow.session.execute(
            update(Application)
            .where(Application.id == changed)
            .values(version=Application.version + 1)
        )
        with pytest.raises(StaleDataError):
            handler.settle(uow.session)
    # Nothing of the round was kept, and nothing is left for the next one.
    assert _versions(ctx) == before
    with ctx.uow() as uow:
        handler.settle(uow.session)
        uow.commit()
    assert _versions(ctx) == before


def test_an_application_loaded_by_the_round_is_confirmed_through_it(ctx, registers):
    """Another handler's confirmation may hold the application in the same transaction: it is
    then changed through that object, never behind its back (its version stays right)."""
    seed_approved(ctx, 1)
    [message] = _claimed(ctx)
    [(application_id, (version, _))] = _versions(ctx).items()
    handler = civil_registry.CivilRegistryHandler(registers.civil_registry)
    at = ctx.clock()
    with ctx.uow() as uow:
        handler.prepare(uow.session, [message])
        handler.confirm(uow.session, message, {"created": True, "existing": False}, at)
        held = uow.session.get(Application, application_id)
        assert held is not None
        held.draft = {**held.draft, "touched": True}  # another change, through the ORM
        handler.settle(uow.session)
        uow.commit()
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        assert application is not None
        assert application.version == version + 1  # one write: both changes together
        assert application.registry_confirmed_at is not None
        assert application.draft.get("touched") is True


def test_a_rounds_audit_events_written_together_keep_the_chain(ctx, registers):
    """The confirmations' events go in one statement (``audit.record_many``): in order, one
    per application, chained and keyed as one by one, so the trail verifies and an edited
    one of them is found."""
    seed_approved(ctx, 12)
    worker = outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=4,
                                 rng=random.Random(7))  # fmt: skip
    assert worker.run_until_idle().delivered == 12
    with ctx.uow() as uow:
        seqs = uow.session.execute(
            select(AuditEvent.seq).where(AuditEvent.action == "civil_registry.confirmed")
        ).scalars().all()  # fmt: skip
    assert len(seqs) == 12 and sorted(seqs) == list(range(min(seqs), min(seqs) + 12))
    with ctx.read() as uow:
        report = audit.verify_chain(uow.session)
    assert report.intact and report.anchored_at == max(seqs)
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET entity_id = '999' WHERE seq = :s"),
                     {"s": seqs[5]})  # fmt: skip
    with ctx.read() as uow:
        assert audit.verify_chain(uow.session).broken_at == seqs[5]
