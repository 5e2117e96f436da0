"""Issue 18: the outbox's deliveries are read back in groups (``readPersons``), off the threads
that send, and each thread has a connection of its own; every identity is still created once,
read back after its own creation and compared byte for byte, and a failed read-back is
retried, never confirmed."""

from __future__ import annotations

import random
import threading
from collections import Counter

import httpx
import pytest
from sqlalchemy import select

from issuance.db.models import Application, AuditEvent, OutboxMessage
from issuance.delivery import civil_registry, outbox
from issuance.delivery.clients import CivilRegistryClient, ServiceConfig
from issuance.delivery.clients.errors import PersonNotFound, ServiceFailed
from issuance.delivery.outbox import Claimed
from issuance.delivery.registers import outbox_handlers
from tests.support.registers import TIMEOUTS, seed_approved


class _CountingClient(CivilRegistryClient):
    """Counts what reaches the registry: creations per NID, read-back requests and NIDs."""

    def __init__(self, url: str, fail_reads: int = 0) -> None:
        super().__init__(ServiceConfig(url, **TIMEOUTS))
        self.lock = threading.Lock()
        self.created: Counter[str] = Counter()
        self.reads: list[list[str]] = []
        self.fail_reads = fail_reads

    def create_person(self, nid, person, idempotency_key=None):
        answer = super().create_person(nid, person, idempotency_key)
        with self.lock:
            self.created[nid] += 1
        return answer

    def read_persons(self, nids):
        with self.lock:
            self.reads.append(list(nids))
            failing = self.fail_reads > 0
            self.fail_reads -= failing
        if failing:
            raise ServiceFailed(self.service, 500)
        return super().read_persons(nids)


def _worker(ctx, registers, client, threads=8):
    handlers = outbox_handlers(registers)
    handlers[civil_registry.TOPIC] = civil_registry.CivilRegistryHandler(client)
    return outbox.OutboxWorker(ctx, handlers, threads=threads, rng=random.Random(5))


def _confirmations(ctx) -> Counter[str]:
    with ctx.uow() as uow:
        return Counter(
            uow.session.execute(
                select(AuditEvent.entity_id).where(AuditEvent.action == "civil_registry.confirmed")
            ).scalars()
        )


def test_concurrent_deliveries_share_read_backs(ctx, sandbox, registers):
    nids = seed_approved(ctx, 60)
    # Slow enough answers that deliveries overlap, as against a real registry.
    httpx.post(f"{sandbox.url('civil-registry')}/_sandbox/faults",
               json={"latency_ms": 20}, timeout=5).raise_for_status()  # fmt: skip
    client = _CountingClient(sandbox.url("civil-registry"))
    try:
        result = _worker(ctx, registers, client).run_until_idle()
        opened = len(client._opened)
    finally:
        client.close()
    assert (result.delivered, result.alerted, result.retried) == (60, 0, 0)
    assert client.created == Counter(dict.fromkeys(nids, 1))
    read = Counter(nid for batch in client.reads for nid in batch)
    assert read == Counter(dict.fromkeys(nids, 1))  # each read back once, after its creation
    assert len(client.reads) < 30 and max(len(batch) for batch in client.reads) > 1
    assert set(_confirmations(ctx).values()) == {1} and len(_confirmations(ctx)) == 60
    # Each thread borrowed a connection of its own: the 8 that send, and the worker's own
    # thread that reads back; no more were opened.
    assert 1 < opened <= 8 + 1


def test_a_failed_shared_read_back_retries_every_delivery_waiting_for_it(ctx, sandbox, registers,
                                                                         clock):  # fmt: skip
    nids = seed_approved(ctx, 12)
    before = sandbox.civil_registry.person_count()
    httpx.post(f"{sandbox.url('civil-registry')}/_sandbox/faults",
               json={"latency_ms": 20}, timeout=5).raise_for_status()  # fmt: skip
    client = _CountingClient(sandbox.url("civil-registry"), fail_reads=1_000)
    try:
        result = _worker(ctx, registers, client, threads=6).run_once()
        assert (result.retried, result.delivered, result.alerted) == (12, 0, 0)
        with ctx.uow() as uow:
            rows = uow.session.execute(select(OutboxMessage)).scalars().all()
            assert all(r.status == "pending" and "500" in r.last_error for r in rows)
            assert all(
                a.registry_confirmed_at is None
                for a in uow.session.execute(select(Application)).scalars()
            )
        assert not _confirmations(ctx)
        client.fail_reads = 0
        clock.advance(hours=1)
        assert _worker(ctx, registers, client, threads=6).run_until_idle().delivered == 12
    finally:
        client.close()
    # Created once each: the repeat found the person and read it back.
    assert set(client.created) == set(nids)
    assert sandbox.civil_registry.person_count() == before + 12
    assert _confirmations(ctx) == Counter({str(a): 1 for a in _application_ids(ctx)})


def _application_ids(ctx) -> list[int]:
    with ctx.uow() as uow:
        return list(uow.session.execute(select(Application.id)).scalars())


def test_a_lone_delivery_is_one_create_and_one_read(ctx, sandbox):
    """``deliver`` (both stages for one message) creates the person, then reads it back."""
    nid = seed_approved(ctx, 1)[0]
    with ctx.uow() as uow:
        row = uow.session.execute(select(OutboxMessage)).scalar_one()
        message = Claimed(row.id, row.topic, row.key, dict(row.payload), 1)
    client = _CountingClient(sandbox.url("civil-registry"))
    try:
        handler = civil_registry.CivilRegistryHandler(client)
        assert handler.deliver(message) == {"created": True, "existing": False}
        client.fail_reads = 1
        with pytest.raises(ServiceFailed):
            handler.deliver(message)  # a failed read-back is the delivery's failure
        sent = handler.send(message)
        sandbox.civil_registry._persons.pop(nid)
        missing = handler.verify([message], [sent])[0]
        assert isinstance(missing, PersonNotFound)  # never confirmed without its read-back
    finally:
        client.close()
    assert client.created == Counter({nid: 3}) and client.reads == [[nid]] * 3


def test_a_lone_caller_keeps_one_connection(sandbox):
    with CivilRegistryClient(ServiceConfig(sandbox.url("civil-registry"), **TIMEOUTS)) as client:
        for _ in range(3):
            assert client.read_persons(["J00101999W"]) == {"J00101999W": None}
        assert client._opened == [client._http] and list(client._idle) == [client._http]
