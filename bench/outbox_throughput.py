"""Identities per second drained from the outbox to the civil-registry stand-in, against a bare
keep-alive loop sending the same bodies to the same stand-in, in the same run.

    .venv/bin/python bench/outbox_throughput.py [--messages 5000] [--database URL]

Each identity delivered by the outbox is a create (PUT, idempotent by NID), its read-back (in
batches) and a field-by-field comparison, then the confirmation, its audit event and the
delivered mark in the database. The bare loop is one keep-alive connection of the standard
library (``http.client``) PUTting the very request bodies the outbox sends (built by the same
code, encoded as the client encodes them), one after the other, reading each answer in full
and nothing more. Both start from an empty stand-in
(a fresh ``python -m devtools.standins`` process each, as a real registry would be its own
process), so every person is created, not found again. The bare loop runs before and after
the outbox and the faster run is the baseline. Three rounds (--rounds), each on a fresh
database; the ratio printed last is their median. Goal (DESIGN.md): ratio >= 0.5.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from issuance.bootstrap import Context  # noqa: E402
from issuance.config import Settings  # noqa: E402
from issuance.db import migrate  # noqa: E402
from issuance.db.engine import make_engine  # noqa: E402
from issuance.db.models import OutboxMessage  # noqa: E402
from issuance.delivery import civil_registry, outbox  # noqa: E402
from issuance.delivery.clients.http import segment  # noqa: E402
from issuance.delivery.registers import outbox_handlers  # noqa: E402
from issuance.security.sealing import Sealer  # noqa: E402
from tests.support.registers import registers_for, seed_approved  # noqa: E402

GOAL = 0.5


@contextmanager
def stand_ins() -> Iterator[dict[str, str]]:
    """The stand-ins in their own process, empty, as a real registry would be."""
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.standins", "--no-seed"], stdout=subprocess.PIPE, text=True
    )
    try:
        yield dict(process.stdout.readline().split() for _ in range(4))
    finally:
        process.terminate()
        process.wait()


def persons_held(url: str) -> int:
    return httpx.get(f"{url}/_sandbox/state", timeout=10).json()["persons"]


def request_bodies(ctx: Context) -> list[tuple[str, bytes]]:
    """(path, body) of every create the outbox will send, byte for byte."""
    with ctx.uow() as uow:
        payloads = uow.session.execute(
            select(OutboxMessage.payload)
            .where(OutboxMessage.topic == civil_registry.TOPIC)
            .where(OutboxMessage.status == outbox.PENDING)  # this round's (--database reused)
            .order_by(OutboxMessage.id)
        ).scalars()
        requests = []
        for payload in payloads:
            nid, person = civil_registry.person_request(payload)
            body = json.dumps(person.to_json(), ensure_ascii=False, separators=(",", ":"),
                              allow_nan=False).encode("utf-8")  # fmt: skip
            requests.append((f"/persons/{segment(nid)}", body))
    return requests


def bare_loop(requests: list[tuple[str, bytes]]) -> float:
    """Identities per second of one keep-alive connection (the standard library's
    ``http.client``) PUTting ``requests`` in turn, each answer read in full."""
    with stand_ins() as urls:
        url = urlsplit(urls["civil-registry"])
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        try:
            started = time.perf_counter()
            for path, body in requests:
                connection.request("PUT", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 201:
                    raise SystemExit(f"bare loop: {path} answered {response.status}")
            elapsed = time.perf_counter() - started
        finally:
            connection.close()
        assert persons_held(urls["civil-registry"]) == len(requests)
    return len(requests) / elapsed


def outbox_run(ctx: Context, threads: int, batch: int) -> tuple[float, str]:
    with stand_ins() as urls:
        registers = registers_for(urls, read_timeout=10.0)
        worker = outbox.OutboxWorker(
            ctx, outbox_handlers(registers), threads=threads, batch_size=batch
        )
        try:
            started = time.perf_counter()
            result = worker.run_until_idle()
            elapsed = time.perf_counter() - started
        finally:
            registers.close()
        held = persons_held(urls["civil-registry"])
    summary = (f"delivered {result.delivered} (retried {result.retried}, alerts {result.alerted}, "
               f"lost {result.lost}), {held} persons created, in {elapsed:.2f}s")  # fmt: skip
    if result.delivered != held:
        raise SystemExit(f"outbox: {summary}")
    return result.delivered / elapsed, summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    # As `issuance outbox run --threads 8 --batch 1000` would deliver.
    parser.add_argument("--threads", type=int, default=8, help="outbox threads")
    parser.add_argument("--batch", type=int, default=1000, help="messages claimed per round")
    parser.add_argument("--database", help="default: a fresh SQLite file")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median is the ratio")
    args = parser.parse_args()
    ratios = []
    for round_ in range(1, args.rounds + 1):
        print(f"round {round_} of {args.rounds}")
        ratios.append(one_round(args))
    ratios.sort()
    print(f"ratio to the bare keep-alive loop, median of {len(ratios)} rounds: "
          f"{ratios[len(ratios) // 2]:.2f}  (rounds: {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"goal >= {GOAL})")  # fmt: skip


def one_round(args: argparse.Namespace) -> float:
    """A fresh database of ``args.messages`` identities, the bare loop, the outbox, the bare
    loop again: the outbox's rate over the faster bare loop."""
    folder = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    url = args.database or f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    key = os.urandom(32)
    ctx = Context(Settings(folder, url, base64.b64encode(key).decode()), engine, Sealer(key))
    started = time.perf_counter()
    seed_approved(ctx, args.messages)
    print(f"seeded {args.messages} approved identities in {time.perf_counter() - started:.1f}s")
    requests = request_bodies(ctx)

    before = bare_loop(requests)
    project, summary = outbox_run(ctx, args.threads, args.batch)
    after = bare_loop(requests)
    ctx.close()
    bare = max(before, after)
    print(f"outbox ({args.threads} threads, {args.batch} per round): {summary}")
    print(f"bare keep-alive loop, one connection, same {len(requests)} bodies: "
          f"{before:,.0f}/s before, {after:,.0f}/s after the outbox")  # fmt: skip
    print(f"identities per second: outbox {project:,.0f}, bare loop {bare:,.0f}")
    print(f"ratio: {project / bare:.2f}  (goal >= {GOAL})")
    return project / bare


if __name__ == "__main__":
    main()
