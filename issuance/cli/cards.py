"""``issuance card revoke|spoil`` and ``issuance permits recheck``: a card's life from the
command line.

``card revoke DOCUMENT --reason permit_revoked|fraud|death`` revokes a valid card (the civil
registry and FER are told through the outbox); ``card spoil DOCUMENT --reason TEXT`` records a
blank left in production, or a produced card found misprinted before its handover, as spoiled
(its application returns to the production queue);
``permits recheck`` reads FER again for every valid card and prints those whose permit has
been revoked or has ended since (exit code 1 when there are any: for a daily timer).

The console acts as an administrator, audited under the OS account's name. The services, the
database and the registers' clients are imported when a command runs.
"""

from __future__ import annotations

import argparse


def cmd_card_revoke(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import card_lifecycle

    with command_context(args) as ctx:
        revoked = card_lifecycle.revoke_card(
            ctx, console_actor(), args.document, args.reason, note=args.note
        )
    print(f"card {revoked.document_number} revoked ({revoked.reason}); the civil registry and "
          "FER are told through the outbox")  # fmt: skip
    return 0


def cmd_card_spoil(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import cards

    with command_context(args) as ctx:
        card = cards.spoil_card(ctx, console_actor(), args.document, args.reason)
    print(f"card {card.document_number} recorded as spoiled: {card.spoiled_reason}; its "
          "application waits for the next blank")  # fmt: skip
    return 0


def cmd_permits_recheck(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.delivery.registers import open_registers
    from issuance.services import permits

    with command_context(args) as ctx:
        registers = open_registers(ctx.settings)
        try:
            flagged = permits.recheck_cards(ctx, console_actor(), registers.fer)
        finally:
            registers.close()
    for card in flagged:
        status = "revoked" if card.permit_status == "REVOKED" else (
            f"ended {card.permit_valid_until:%Y-%m-%d}"
        )  # fmt: skip
        print(f"{card.document_number}\t{card.nid or '-'}\t{card.surname}, {card.given_names}\t"
              f"permit {card.permit_number} {status}")  # fmt: skip
    print(f"{len(flagged)} valid card(s) whose permit was revoked or has ended")
    return 1 if flagged else 0


def register_card_actions(card: argparse._SubParsersAction) -> None:
    """``card revoke`` and ``card spoil``, next to ``card verify`` (``issuance.cli.chip``)."""
    revoke = card.add_parser(
        "revoke",
        help="revoke a valid card (told to the civil registry and FER)",
        description="Revokes the card with this document number. Reasons: permit_revoked "
        "(the residence permit was revoked at FER), fraud, death.",
    )
    revoke.add_argument("document", metavar="DOCUMENT", help="the card's document number")
    revoke.add_argument("--reason", required=True, choices=["permit_revoked", "fraud", "death"])
    revoke.add_argument("--note", help="free text kept with the revocation")
    revoke.set_defaults(handler=cmd_card_revoke)
    spoil = card.add_parser(
        "spoil",
        help="record a blank left in production, or a misprinted card, as spoiled",
        description="Records the card with this document number as spoiled with the reason "
        "given: a blank left in production by an interrupted run, or a produced card found "
        "misprinted before its handover. Its application returns to the production queue.",
    )
    spoil.add_argument("document", metavar="DOCUMENT", help="the card's document number")
    spoil.add_argument("--reason", required=True, help="what happened, in words")
    spoil.set_defaults(handler=cmd_card_spoil)


def register(subparsers: argparse._SubParsersAction) -> None:
    permits = subparsers.add_parser("permits", help="residence permits").add_subparsers(
        dest="action", required=True
    )
    permits.add_parser(
        "recheck",
        help="list valid cards whose permit was revoked or has ended (daily)",
        description="Reads every valid card's permit from FER again and prints those revoked "
        "or ended since. Exit code 1 when any is listed.",
    ).set_defaults(handler=cmd_permits_recheck)
