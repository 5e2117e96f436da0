"""``issuance-dev`` (or ``python -m devtools``): the product's commands and the development
ones — ``demo seed|run`` and ``sandbox`` (the register stand-ins and the SBI simulator).
The product's ``issuance`` command does not know these."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from issuance.cli import main as product
from issuance.cli import wiring


def cmd_demo_seed(args: argparse.Namespace) -> int:
    from devtools.demo import seeding as demo

    with wiring.command_context(args) as ctx:
        logins = demo.seed(ctx, product.console_actor())
    print("Demo logins (username / password / role / office / 6-digit code now):")
    for login in logins:
        code = login.current_code() or "-"
        print(
            f"  {login.username:8} {login.password}  {login.role.value:14} "
            f"{login.office or '-':3} {code}"
        )
        if login.totp_secret:
            print(f"           TOTP secret: {login.totp_secret}")
    from devtools.demo import tryout

    print("\n".join(tryout.lines()))
    return 0


def cmd_demo_run(args: argparse.Namespace) -> int:
    from devtools.demo.stack import cmd_demo_run

    return cmd_demo_run(args)


def cmd_sandbox(args: argparse.Namespace) -> int:
    from devtools.standins.sandbox import SandboxConfig, run_sandbox
    from issuance.config import command_settings

    settings = command_settings(args)

    def port(url: str) -> int:
        return int(url.rsplit(":", 1)[1].split("/")[0])

    config = SandboxConfig(
        voucher_port=port(settings.voucher_url),
        fer_port=port(settings.fer_url),
        civil_registry_port=port(settings.civil_registry_url),
        notification_port=port(settings.notification_url),
        api_key=settings.services_api_key or None,
        civil_registry_store=args.civil_registry_store,
        sbi_port=None if args.no_sbi else args.sbi_port,
    )
    return run_sandbox(config)


def register(sub: argparse._SubParsersAction) -> None:
    dem = sub.add_parser("demo", help="demo data").add_subparsers(dest="action", required=True)
    dem.add_parser("seed", help="demo offices and operators").set_defaults(handler=cmd_demo_seed)
    run = dem.add_parser("run", help="the desk with stand-ins, simulators and a virtual card")
    run.add_argument("--screenshot", type=Path, help="save the first window as PNG and quit")
    run.set_defaults(handler=cmd_demo_run)

    sandbox = sub.add_parser("sandbox", help="local stand-ins of the remote registers")
    sandbox.add_argument("--civil-registry-store", help="SQLite file keeping created persons")
    sandbox.add_argument("--sbi-port", type=int, default=4501,
                         help="port of the SBI fingerprint simulator (0: any free port)")
    sandbox.add_argument("--no-sbi", action="store_true", help="no fingerprint simulator")
    sandbox.set_defaults(handler=cmd_sandbox)


def main(argv: Sequence[str] | None = None) -> int:
    return product.main(argv, extra=[register], prog="issuance-dev")


if __name__ == "__main__":
    sys.exit(main())
