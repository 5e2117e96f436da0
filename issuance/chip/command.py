"""``issuance keys init`` and ``issuance card verify``: the card operator's command-line tools."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from issuance.chip.signing import init_keys
from issuance.config import load_settings


def cmd_keys_init(args: argparse.Namespace) -> int:
    folder = args.folder or load_settings().keys_dir
    pki = init_keys(folder, overwrite=args.overwrite)
    for path in pki.paths():
        print(path)
    return 0


def cmd_card_verify(args: argparse.Namespace) -> int:
    # Imported here: pyscard is needed only by those who verify cards.
    from devices.card_reader import verify_card

    settings = load_settings()
    csca = args.csca or settings.keys_dir / "csca.cert.pem"
    report = verify_card(
        args.reader or settings.card_reader,
        args.document_number,
        date.fromisoformat(args.birth_date),
        date.fromisoformat(args.expiry_date),
        csca,
        card_timeout=args.timeout,
    )
    print(report)
    return 0 if report.passed else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    keys = subparsers.add_parser("keys", help="document signing keys").add_subparsers(
        dest="action", required=True
    )
    init = keys.add_parser("init", help="create demo CSCA and Document Signer keys")
    init.add_argument("--folder", type=Path)
    init.add_argument("--overwrite", action="store_true", help="replace existing keys")
    init.set_defaults(handler=cmd_keys_init)

    card = subparsers.add_parser("card", help="cards").add_subparsers(dest="action", required=True)
    verify = card.add_parser("verify", help="read a card through BAC and verify its SOD")
    verify.add_argument("--document-number", required=True)
    verify.add_argument("--birth-date", required=True, help="YYYY-MM-DD")
    verify.add_argument("--expiry-date", required=True, help="YYYY-MM-DD")
    verify.add_argument("--reader", help="e.g. 'pcsc:Virtual PCD 00 00'")
    verify.add_argument("--csca", help="CSCA certificate (PEM)")
    verify.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a card")
    verify.set_defaults(handler=cmd_card_verify)
