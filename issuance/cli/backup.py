"""``issuance backup FILE`` and ``issuance restore FILE``: the office's data in one encrypted
file, and back into an empty database. The passphrase is read from standard input (twice on a
terminal when making a backup), never from the arguments.

What they run is imported when they run, not when the command line declares them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from issuance.errors import IssuanceError


class PassphrasesDiffer(IssuanceError):
    def __init__(self) -> None:
        super().__init__("Fjalëkalimet nuk përputhen.", "The passphrases do not match.")


def _read_passphrase(*, twice: bool) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Fjalëkalimi i kopjes / Backup passphrase: ")
        if twice and getpass.getpass("Përsëriteni / Repeat: ") != first:
            raise PassphrasesDiffer()
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_backup(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.services.backup.backing_up import back_up

    passphrase = _read_passphrase(twice=True)
    with command_context(args) as ctx:
        made = back_up(ctx, console_actor(), Path(args.file), passphrase)
    offices = ", ".join(made.offices) or "-"
    print(f"backup written to {made.path} ({made.bytes} bytes; schema {made.schema_revision}, "
          f"offices {offices}, {made.audit_events} audit events)")  # fmt: skip
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from issuance.bootstrap import bootstrap
    from issuance.cli.main import console_actor
    from issuance.config import command_settings
    from issuance.services.backup.restoring import record_restore, restore

    settings = command_settings(args)
    actor = console_actor()
    restored = restore(settings, actor, Path(args.file), _read_passphrase(twice=False))
    ctx = bootstrap(settings)  # migrates a backup of an older schema to this program's
    try:
        record_restore(ctx, actor, restored)
    finally:
        ctx.close()
    print(f"backup of {restored.created_at} restored (schema {restored.schema_revision}, "
          f"{restored.audit_events} audit events); run 'issuance audit verify'")  # fmt: skip
    for path in restored.moved_aside:
        print(f"kept this desk's previous {path.name.split('.before-restore-')[0]} as {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser(
        "backup", help="write the office's data, keys included, to one encrypted file "
        "(passphrase from stdin)",
    )  # fmt: skip
    backup.add_argument("file", help="the backup file to create (never overwritten)")
    backup.set_defaults(handler=cmd_backup)
    restore = sub.add_parser(
        "restore", help="restore a backup into an empty database (passphrase from stdin)"
    )
    restore.add_argument("file", help="a file made by 'issuance backup'")
    restore.set_defaults(handler=cmd_restore)
