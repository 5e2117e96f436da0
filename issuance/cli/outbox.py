"""``issuance outbox run|status|alerts|retry|resolve``: delivering the outbox to the remote
registers, and the alerts a person settles: ``alerts`` lists them (the reason, and for a
read-back that differs the fields side by side), ``retry ID`` sends one again once its cause
is fixed, ``resolve ID --note TEXT`` closes it with a note (the console acts as an
administrator, audited under the OS account's name).

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
    from issuance.cli.wiring import command_context
    from issuance.delivery import outbox
    from issuance.delivery.registers import open_registers, outbox_handlers

    logs.configure()
    with command_context(args) as ctx:
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
    return 0


def cmd_outbox_status(args: argparse.Namespace) -> int:
    from issuance.cli.wiring import command_context
    from issuance.delivery import outbox

    with command_context(args) as ctx:
        waiting = outbox.backlog(ctx)
    print(f"pending {waiting.pending} (due now {waiting.due}), alerts {waiting.alerts}")
    for topic, count in sorted(waiting.by_topic.items()):
        print(f"  {topic}: {count}")
    return 0


def _language(args: argparse.Namespace) -> str:
    settings = getattr(args, "settings", None)
    return settings.language if settings is not None else "sq"


def cmd_outbox_alerts(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import alerts
    from issuance.wall_clock import local_time

    language = _language(args)
    with command_context(args) as ctx:
        found = alerts.list_alerts(ctx, console_actor())
    for alert in found:
        print(f"{alert.id}\t{local_time(alert.at):%Y-%m-%d %H:%M}\t"
              f"{alert.application_number or '-'}\t{alert.topic_name(language)}")  # fmt: skip
        print(f"  {' '.join(alert.reason(language).split())}")
        for diff in alert.differences:
            sent, held = ("dërguar", "në regjistër") if language == "sq" else ("sent", "registry")
            print(f"  {diff.name(language)}: {sent} «{diff.sent}» | {held} «{diff.registry}»")
    print(f"{len(found)} alarm(e)" if language == "sq" else f"{len(found)} alert(s)")
    return 0


def cmd_outbox_retry(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import alerts

    with command_context(args) as ctx:
        alerts.retry_alert(ctx, console_actor(), args.id)
    print(f"alert {args.id} is due again: the outbox sends it on its next round")
    return 0


def cmd_outbox_resolve(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import alerts

    with command_context(args) as ctx:
        done = alerts.resolve_alert(ctx, console_actor(), args.id, args.note)
    moved = f"; application {done.application_number} is e-Albania ready" if done.registered else ""
    print(f"alert {args.id} resolved{moved}")
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
    box.add_parser(
        "alerts", help="messages that failed for good: why, and what differs"
    ).set_defaults(handler=cmd_outbox_alerts)
    retry = box.add_parser("retry", help="send an alert's message again (its cause fixed)")
    retry.add_argument("id", type=int, metavar="ID", help="the alert's number (outbox alerts)")
    retry.set_defaults(handler=cmd_outbox_retry)
    resolve = box.add_parser(
        "resolve",
        help="close an alert with a note (settled by other means)",
        description="Closes the alert with a note saying how it was settled. For a person the "
        "civil registry holds otherwise, confirmed with the registry by other means, the "
        "application then becomes e-Albania ready.",
    )
    resolve.add_argument("id", type=int, metavar="ID", help="the alert's number (outbox alerts)")
    resolve.add_argument("--note", required=True, help="how the alert was settled")
    resolve.set_defaults(handler=cmd_outbox_resolve)
