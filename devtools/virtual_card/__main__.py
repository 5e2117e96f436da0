"""``python -m devtools.virtual_card --port 35963``: a blank card in vpcd's reader."""

from __future__ import annotations

import argparse
import logging

from devtools.virtual_card.applet import PassportApplet
from devtools.virtual_card.vpcd import DEFAULT_PORT, VpcdCard


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Virtual blank passport card for vpcd")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--short-apdus-only",
        action="store_true",
        help="refuse extended-length APDUs (6700), like older cards",
    )
    parser.add_argument("--max-command-data", type=int, default=65535)
    parser.add_argument(
        "--disconnect-after",
        type=int,
        default=None,
        metavar="N",
        help="pull the card out after N APDUs (card removed mid-way)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    applet = PassportApplet(not args.short_apdus_only, args.max_command_data)
    card = VpcdCard(applet, args.host, args.port, args.disconnect_after)
    try:
        card.run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
