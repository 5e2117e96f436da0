"""Issue 12, defect 9: two outbox workers whose leases run out against a slow registry.

A worker that outlives its lease must not record what it delivered: the message is someone
else's by then. Exactly one confirmation per application, one person per NID.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from issuance.bootstrap import Context
from issuance.db.base import utcnow
from issuance.db.models import Application, AuditEvent, OutboxMessage
from issuance.delivery import civil_registry, outbox
from issuance.delivery.registers import outbox_handlers
from tests.support.registers import seed_approved

# A round (40 sends four at a time, 120 ms each, then their read-backs) outlasts the lease by
# far, so the live worker must renew it; half the lease (0.5 s) is the margin a renewal has on
# a loaded machine before the other worker may take the messages over.
IDENTITIES, LEASE, LATENCY_MS, THREADS = 40, timedelta(seconds=1.0), 120, 4
pytestmark = pytest.mark.slow


class _Counting(civil_registry.CivilRegistryHandler):
    """Counts the deliveries the registry saw (each is a PUT, then a read-back in a group):
    the worker sends through ``send``, and ``deliver`` calls it too."""

    def __init__(self, handler: civil_registry.CivilRegistryHandler) -> None:
        super().__init__(handler._client)
        self.lock, self.sent = threading.Lock(), Counter()

    def send(self, message):
        with self.lock:
            self.sent[message.payload["nid"]] += 1
        return super().send(message)


def _pending(ctx) -> int:
    with ctx.uow() as uow:
        return len(
            uow.session.execute(
                select(OutboxMessage.id).where(OutboxMessage.status != outbox.DELIVERED)
            ).all()
        )


class _Stalling(outbox.OutboxWorker):
    """A worker that stops for longer than its lease once (a long GC pause, a SIGSTOP, a
    swapped-out desk) right before it records what it delivered."""

    stalled = False

    def _record(self, *args, **kwargs):
        if not self.stalled:
            self.stalled = True
            time.sleep(LEASE.total_seconds() * 1.5)
        return super()._record(*args, **kwargs)


def _two_workers(ctx, sandbox, registers, kinds):
    seed_approved(ctx, IDENTITIES)
    before = sandbox.civil_registry.person_count()
    # The workers run on the real clock: leases must really run out while they deliver.
    live = Context(settings=ctx.settings, engine=ctx.engine, sealer=ctx.sealer, clock=utcnow)
    httpx.post(f"{sandbox.url('civil-registry')}/_sandbox/faults",
               json={"latency_ms": LATENCY_MS}, timeout=5).raise_for_status()  # fmt: skip
    handlers = outbox_handlers(registers)
    counting = _Counting(handlers[civil_registry.TOPIC])
    handlers[civil_registry.TOPIC] = counting
    workers = [
        kind(live, handlers, lease=LEASE, threads=THREADS, rng=random.Random(n))
        for n, kind in enumerate(kinds)
    ]
    deadline = time.monotonic() + 60
    failures: list[BaseException] = []

    def run(worker: outbox.OutboxWorker) -> None:
        try:
            while time.monotonic() < deadline:
                if not worker.run_once().claimed:
                    if _pending(live) == 0:
                        return
                    time.sleep(0.02)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
        time.sleep(0.05)  # the first one claims the batch, the second finds it leased
    for thread in threads:
        thread.join(timeout=90)
    assert not failures and _pending(live) == 0

    with ctx.uow() as uow:
        confirmed = Counter(
            uow.session.execute(
                select(AuditEvent.entity_id).where(AuditEvent.action == "civil_registry.confirmed")
            ).scalars()
        )
        alerts = uow.session.execute(
            select(AuditEvent.id).where(AuditEvent.action == "outbox.alert")
        ).all()
        applications = uow.session.execute(select(Application)).scalars().all()
    deliveries = sum(counting.sent.values())
    print(f"{ctx.engine.dialect.name} {[k.__name__ for k in kinds]}: {deliveries} deliveries "
          f"for {IDENTITIES} identities, {sum(confirmed.values())} confirmations")  # fmt: skip
    assert len(counting.sent) == IDENTITIES
    assert sorted(confirmed) == sorted(str(a.id) for a in applications)
    assert set(confirmed.values()) == {1}, "an application was confirmed twice"
    assert alerts == []
    assert all(a.registry_confirmed_at is not None for a in applications)
    assert sandbox.civil_registry.person_count() == before + IDENTITIES
    return deliveries


def test_two_workers_with_short_leases_confirm_each_identity_once(ctx, sandbox, registers):
    """The issue's case: a round takes longer than the lease. The live worker renews its lease
    as it goes, so the other one never takes its messages over."""
    deliveries = _two_workers(ctx, sandbox, registers, [outbox.OutboxWorker] * 2)
    assert deliveries == IDENTITIES


def test_a_worker_that_stalls_past_its_lease_records_nothing(ctx, sandbox, registers):
    """The first worker stops past its lease with its deliveries done but not recorded: the
    second takes the messages over, and the first one's results are discarded."""
    deliveries = _two_workers(ctx, sandbox, registers, [_Stalling, outbox.OutboxWorker])
    assert deliveries > IDENTITIES, "no lease was taken over: the test proved nothing"


def test_a_result_recorded_after_the_lease_was_taken_over_is_discarded(ctx, sandbox, registers,
                                                                      clock):  # fmt: skip
    """Worker A claims, its lease runs out, B claims and delivers; A's late result changes
    nothing: no second confirmation, the message stays B's."""
    seed_approved(ctx, 3)
    a = outbox.OutboxWorker(ctx, outbox_handlers(registers), lease=timedelta(seconds=5))
    b = outbox.OutboxWorker(ctx, outbox_handlers(registers), lease=timedelta(seconds=5))
    claimed_by_a = a._claim()
    outcomes_of_a = [a._deliver(message) for message in claimed_by_a]
    clock.advance(seconds=6)
    assert b.run_once().delivered == 3
    late = a._record(claimed_by_a, outcomes_of_a)
    assert (late.delivered, late.retried, late.alerted, late.lost) == (0, 0, 0, 3)
    with ctx.uow() as uow:
        confirmations = uow.session.execute(
            select(AuditEvent.id).where(AuditEvent.action == "civil_registry.confirmed")
        ).all()
        attempts = uow.session.execute(select(OutboxMessage.attempts)).scalars().all()
    assert len(confirmations) == 3 and attempts == [2, 2, 2]


def test_a_late_failure_does_not_reschedule_a_message_taken_over(ctx, sandbox, registers, clock):
    seed_approved(ctx, 2)
    a = outbox.OutboxWorker(ctx, outbox_handlers(registers), lease=timedelta(seconds=5))
    b = outbox.OutboxWorker(ctx, outbox_handlers(registers), lease=timedelta(seconds=5))
    claimed_by_a = a._claim()
    clock.advance(seconds=6)
    assert len(b._claim()) == 2
    late = a._record(claimed_by_a, [(outbox.PENDING, "timeout")] * 2)
    assert (late.retried, late.lost) == (0, 2)
    with ctx.uow() as uow:
        rows = uow.session.execute(select(OutboxMessage)).scalars().all()
    # Still B's lease: neither a back-off nor A's error was written over it.
    assert all(r.last_error is None and r.next_attempt_at == clock.now + timedelta(seconds=5)
               for r in rows)  # fmt: skip


def test_a_worker_past_its_lease_does_not_send(ctx, sandbox, registers):
    """Claimed messages whose lease ran out before their turn are left to whoever holds them."""
    seed_approved(ctx, 2)
    sent = []

    class Recording(civil_registry.CivilRegistryHandler):
        def send(self, message):  # what both the worker's rounds and deliver() send through
            sent.append(message.payload["nid"])
            return super().send(message)

    handlers = {civil_registry.TOPIC: Recording(registers.civil_registry)}
    live = Context(settings=ctx.settings, engine=ctx.engine, sealer=ctx.sealer, clock=utcnow)
    worker = outbox.OutboxWorker(live, handlers, lease=timedelta(milliseconds=50))
    claimed = worker._claim()
    time.sleep(0.1)
    outcomes = [worker._deliver(message) for message in claimed]
    assert sent == [] and [status for status, _ in outcomes] == [outbox.LOST, outbox.LOST]
    result = worker._record(claimed, outcomes)
    assert (result.delivered, result.lost) == (0, 2)
    # Nobody else took them: they are simply due again.
    assert worker.run_until_idle().delivered == 2 and len(sent) == 2
