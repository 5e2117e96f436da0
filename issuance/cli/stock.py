"""``issuance stock receive|status|void|warn-below`` and ``issuance office nid-block``.

``stock receive --office TR --from AL00010001 --to AL00010500`` receives a box of blanks by
the serial range printed on it (a serial received before refuses the whole box);
``stock status --office TR`` prints the blanks in stock, the warning level and the serial the
next card is printed on (exit code 1 when the stock is below the warning level: for a daily
timer); ``stock void SERIAL --reason TEXT`` takes an unused blank out of the stock;
``stock warn-below --office TR N`` sets the warning level.
``office nid-block TR --from 1 --to 111`` gives the office the NID serials the central
administration assigned it (README "NIDs across offices"); without ``--from``/``--to`` it
prints the office's block.

The console acts as an administrator, audited under the OS account's name. The services and
the database are imported when a command runs.
"""

from __future__ import annotations

import argparse


def cmd_stock_receive(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import stock

    with command_context(args) as ctx:
        box = stock.receive_box(
            ctx, console_actor(), office_code=args.office, first=args.first, last=args.last
        )
        status = stock.stock_status(ctx, console_actor(), box.office_code)
    print(f"received {box.count} blanks {box.first_serial}-{box.last_serial} into office "
          f"{box.office_code}; {status.in_stock} in stock")  # fmt: skip
    return 0


def cmd_stock_status(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import stock

    with command_context(args) as ctx:
        status = stock.stock_status(ctx, console_actor(), args.office)
    if not status.kept:
        print(f"office {status.office_code}: no box received yet (no blank stock kept)")
        return 0
    print(f"office {status.office_code}: {status.in_stock} blanks in stock, warning below "
          f"{status.warning_level}; next serial {status.next_serial or '-'}")  # fmt: skip
    if status.low:
        print(f"LOW: fewer than {status.warning_level} blanks in stock: receive a new box")
        return 1
    return 0


def cmd_stock_void(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import stock

    with command_context(args) as ctx:
        stock.void_blank(ctx, console_actor(), args.serial, args.reason)
    print(f"blank {args.serial.strip().upper()} voided: {' '.join(args.reason.split())}")
    return 0


def cmd_stock_warn_below(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import stock

    with command_context(args) as ctx:
        stock.set_warning_level(ctx, console_actor(), args.office, args.level)
    print(f"office {args.office.upper()}: warned when fewer than {args.level} blanks are in stock")
    return 0


def cmd_office_nid_block(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import offices

    if (args.first is None) != (args.last is None):
        args.parser.error("give both --from and --to, or neither")
    with command_context(args) as ctx:
        if args.first is not None:
            offices.assign_nid_block(ctx, console_actor(), args.office, args.first, args.last)
        block = offices.nid_block_of(ctx, console_actor(), args.office)
    if block is None:
        print(f"office {args.office}: no NID block (serials 001-999)")
    else:
        print(f"office {args.office}: NID serials {block.first:03d}-{block.last:03d}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("stock", help="blank-card stock").add_subparsers(
        dest="action", required=True
    )
    receive = group.add_parser(
        "receive",
        help="receive a box of blank cards by its serial range",
        description="Receives the blanks FROM..TO (the serials printed on the box, e.g. "
        "AL00010001 to AL00010500) into the office's stock.",
    )
    receive.add_argument("--office", required=True, help="two-character office code")
    receive.add_argument("--from", dest="first", required=True, metavar="SERIAL")
    receive.add_argument("--to", dest="last", required=True, metavar="SERIAL")
    receive.set_defaults(handler=cmd_stock_receive)
    status = group.add_parser(
        "status",
        help="blanks in stock (exit code 1 below the warning level)",
        description="Prints the blanks in stock, the warning level and the next serial.",
    )
    status.add_argument("--office", required=True, help="two-character office code")
    status.set_defaults(handler=cmd_stock_status)
    void = group.add_parser("void", help="take an unused blank out of the stock")
    void.add_argument("serial", metavar="SERIAL")
    void.add_argument("--reason", required=True, help="what happened, in words")
    void.set_defaults(handler=cmd_stock_void)
    warn = group.add_parser("warn-below", help="warn when fewer blanks than N are in stock")
    warn.add_argument("--office", required=True, help="two-character office code")
    warn.add_argument("level", type=int, metavar="N")
    warn.set_defaults(handler=cmd_stock_warn_below)

    office = subparsers.add_parser("office", help="offices").add_subparsers(
        dest="action", required=True
    )
    block = office.add_parser(
        "nid-block",
        help="the office's NID serials (set with --from/--to)",
        description="Sets the NID serials the central administration assigned the office "
        "(1..999; no two offices' blocks overlap), or prints them.",
    )
    block.add_argument("office", metavar="OFFICE", help="two-character office code")
    block.add_argument("--from", dest="first", type=int, metavar="SERIAL")
    block.add_argument("--to", dest="last", type=int, metavar="SERIAL")
    block.set_defaults(handler=cmd_office_nid_block, parser=block)
