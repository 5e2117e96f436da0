"""``issuance outbox run|status``: delivering the outbox to the remote registers.

The outbox, the registers' clients and the database are imported when a command runs, not
when the ``issuance`` command line declares the commands.
"""

from __future__ import annotations

import argparse
import signal
import threading
from datetime import timedelta


def cmd_outbox_run(args: argparse.Namespace) -> int:
    from issuance import logs
    from issuance.bootstrap import bootstrap
    from issuance.delivery import outbox
    from issuance.delivery.registers import open_registers, outbox_handlers

    logs.configure()
    ctx = bootstrap()
    registers = open_registers(ctx.settings)
    worker = outbox.OutboxWorker(
        ctx, outbox_handlers(registers), lease=timedelta(seconds=args.lease),
        batch_size=args.batch, threads=args.threads,
    )  # fmt: skip
    try:
        if args.until_idle:
            result = worker.run_until_idle()
            print(f"delivered {result.delivered}, retry later {result.retried}, "
                  f"alerts {result.alerted}")  # fmt: skip
        else:
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
            worker.run_forever(stop, idle_s=args.idle)
    finally:
        registers.close()
        ctx.close()
    return 0


def cmd_outbox_status(args: argparse.Namespace) -> int:
    from issuance.bootstrap import bootstrap
    from issuance.delivery import outbox

    ctx = bootstrap()
    try:
        waiting = outbox.backlog(ctx)
    finally:
        ctx.close()
    print(f"pending {waiting.pending} (due now {waiting.due}), alerts {waiting.alerts}")
    for topic, count in sorted(waiting.by_topic.items()):
        print(f"  {topic}: {count}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    box = subparsers.add_parser("outbox", help="messages to remote registers").add_subparsers(
        dest="action", required=True
    )
    run = box.add_parser("run", help="deliver messages (until SIGTERM, or --until-idle)")
    run.add_argument("--until-idle", action="store_true", help="stop when nothing is due")
    run.add_argument("--lease", type=float, default=60.0, help="seconds a claim lasts")
    run.add_argument("--batch", type=int, default=100)
    run.add_argument("--threads", type=int, default=8)
    run.add_argument("--idle", type=float, default=1.0, help="seconds to wait when idle")
    run.set_defaults(handler=cmd_outbox_run)
    box.add_parser("status", help="what is waiting").set_defaults(handler=cmd_outbox_status)
