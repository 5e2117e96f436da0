"""`python -m devtools.standins`: run the four stand-ins until SIGTERM."""

from __future__ import annotations

import argparse

from devtools.standins.sandbox import SandboxConfig, run_sandbox


def parse_config(argv: list[str] | None = None) -> SandboxConfig:
    parser = argparse.ArgumentParser(prog="python -m devtools.standins",
                                     description="Local stand-ins of the remote registers.")
    parser.add_argument("--host", default="127.0.0.1")
    for name in ("voucher", "fer", "civil-registry", "notification"):
        parser.add_argument(f"--{name}-port", type=int, default=0,
                            help=f"port of the {name} stand-in (0 = any free port)")
    parser.add_argument("--api-key", default=None, help="require this key in X-API-Key")
    parser.add_argument("--civil-registry-store", default=None,
                        help="SQLite file that keeps created persons across restarts")
    parser.add_argument("--no-seed", action="store_true", help="start with empty registers")
    args = parser.parse_args(argv)
    return SandboxConfig(
        host=args.host, voucher_port=args.voucher_port, fer_port=args.fer_port,
        civil_registry_port=args.civil_registry_port,
        notification_port=args.notification_port, api_key=args.api_key,
        civil_registry_store=args.civil_registry_store, seed_demo_data=not args.no_seed,
    )


def main(argv: list[str] | None = None) -> int:
    return run_sandbox(parse_config(argv))


if __name__ == "__main__":
    raise SystemExit(main())
