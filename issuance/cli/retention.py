"""``issuance retention run [--dry-run]``: purge the photo, fingerprints, signature and scans of
applications rejected, cancelled or handed over longer ago than their retention period.

It prints, per category, the period and how many applications it purged (or, with
``--dry-run``, would purge, changing nothing), with their application numbers and never a
name; and the applications past their period kept because their card is still needed. The
services and the database are imported when the command runs.
"""

from __future__ import annotations

import argparse

_CATEGORY_WORDS = {"rejected": "rejected", "cancelled": "cancelled",
                   "handed_over": "handed over"}  # fmt: skip


def _period(days: int) -> str:
    return "never purged" if days <= 0 else f"after {days} days"


def cmd_retention_run(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services import retention

    actor = console_actor()
    with command_context(args) as ctx:
        if args.dry_run:
            plan = retention.plan(ctx, actor)
            numbers = {c: [d.number for d in plan.due if d.category is c] for c in plan.periods}
            verb = "would purge"
        else:
            done = retention.run(ctx, actor)
            plan = done.plan
            numbers = {c: [p.number for p in done.purged if p.category is c] for c in plan.periods}
            verb = "purged"
    print(("dry run, nothing changed: " if args.dry_run else "")
          + f"retention at {plan.at:%Y-%m-%d %H:%M} UTC")  # fmt: skip
    for category in retention.CATEGORIES:
        listed = numbers[category]
        words = _CATEGORY_WORDS[category.value]
        line = f"{words} ({_period(plan.periods[category])}): {verb} {len(listed)}"
        print(line + (": " + ", ".join(listed) if listed else ""))
    if plan.kept:
        kept = ", ".join(k.number for k in plan.kept)
        print(f"kept, their card is still in production or valid: {len(plan.kept)}: {kept}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    retention = subparsers.add_parser("retention", help="retention of biometrics").add_subparsers(
        dest="action", required=True
    )
    run = retention.add_parser(
        "run",
        help="purge biometrics and scans of applications past their retention period",
        description="Deletes the photo, fingerprints, signature and scanned documents of "
        "applications rejected, cancelled or handed over longer ago than the periods set by "
        "ISSUANCE_RETENTION_REJECTED_DAYS, ISSUANCE_RETENTION_CANCELLED_DAYS and "
        "ISSUANCE_RETENTION_HANDED_OVER_DAYS (0: never). An application whose card is still "
        "being produced or valid is kept. The audit trail records every purge.",
    )
    run.add_argument("--dry-run", action="store_true",
                     help="only say what would be purged; change nothing")  # fmt: skip
    run.set_defaults(handler=cmd_retention_run)
