"""``issuance application cancel NUMBER --reason TEXT``: a supervisor's cancellation from the
console (a submitted or approved application whose card is not produced yet).

The coupon, reserved or consumed, is given back to the post office through the outbox
(``issuance outbox run`` or the desk's delivery thread sends it). The console acts as an
administrator, audited under the OS account's name. The services and the database are imported
when the command runs.
"""

from __future__ import annotations

import argparse


def cmd_application_cancel(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import applications

    actor = console_actor()
    with command_context(args) as ctx:
        application_id = applications.find_by_number(ctx, actor, args.number)
        done = applications.cancel(ctx, actor, application_id, args.reason)
    coupon = (
        f"; coupon {done.coupon} is given back to the post office through the outbox"
        if done.coupon
        else ""
    )
    print(f"application {done.number} cancelled (was {done.previous_state}): {done.reason}"
          f"{coupon}")  # fmt: skip
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    application = subparsers.add_parser("application", help="applications").add_subparsers(
        dest="action", required=True
    )
    cancel = application.add_parser(
        "cancel",
        help="cancel a submitted or approved application (reason required)",
        description="Cancels the application with this number while its card is not produced "
        "yet; its coupon is given back to the post office through the outbox.",
    )
    cancel.add_argument("number", metavar="NUMBER", help="the application number, e.g. "
                        "TR-2026-000123")  # fmt: skip
    cancel.add_argument("--reason", required=True, help="why, in words (kept in the audit trail)")
    cancel.set_defaults(handler=cmd_application_cancel)
