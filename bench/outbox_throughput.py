"""Identities per second drained from the outbox to the civil-registry stand-in.

    .venv/bin/python bench/outbox_throughput.py [--messages 5000] [--database URL]

Each identity is a create (PUT, idempotent by NID) plus a read-back and a field comparison,
then the confirmation, its audit event and the delivered mark in the database. Target: 200/s.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from issuance import outbox  # noqa: E402
from issuance.bootstrap import Context  # noqa: E402
from issuance.config import Settings  # noqa: E402
from issuance.db import migrate  # noqa: E402
from issuance.db.engine import make_engine  # noqa: E402
from issuance.registers import outbox_handlers  # noqa: E402
from issuance.sealing import Sealer  # noqa: E402
from tests.support.registers import registers_for, seed_approved  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--database", help="default: a fresh SQLite file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    url = args.database or f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    key = os.urandom(32)
    ctx = Context(Settings(folder, url, base64.b64encode(key).decode()), engine, Sealer(key))
    started = time.perf_counter()
    seed_approved(ctx, args.messages)
    print(f"seeded {args.messages} approved identities in {time.perf_counter() - started:.1f}s")

    # The stand-ins in their own process, as a real registry would be.
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "issuance.sandbox", "--no-seed"], stdout=subprocess.PIPE, text=True
    )
    urls = dict(sandbox.stdout.readline().split() for _ in range(4))
    registers = registers_for(urls, read_timeout=10.0)
    worker = outbox.OutboxWorker(
        ctx, outbox_handlers(registers), batch_size=200, threads=args.threads
    )
    try:
        started = time.perf_counter()
        result = worker.run_until_idle()
        elapsed = time.perf_counter() - started
    finally:
        registers.close()
        sandbox.terminate()
        sandbox.wait()
    print(f"delivered {result.delivered} (retried {result.retried}, alerts {result.alerted}) "
          f"in {elapsed:.2f}s")  # fmt: skip
    print(f"identities per second: {result.delivered / elapsed:.0f}  (target >= 200)")


if __name__ == "__main__":
    main()
