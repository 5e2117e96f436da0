"""``issuance``: the administration command line.

Every refusal is one clear line on stderr and exit code 2; passwords are read from stdin,
never from arguments (they would land in the shell history and the process list).

Building the parser imports nothing heavy (SQLAlchemy, Alembic, OpenCV, argon2, ...): each
command imports what it needs when it runs, so ``issuance --help`` and a mistyped command
answer at once (tests/issuance/cli/test_cli_startup.py guards this; bench/cli_start.py times it).
"""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from issuance.cli import wiring
from issuance.errors import IssuanceError
from issuance.security.permissions import OPERATOR_ROLES, Actor

if TYPE_CHECKING:
    from alembic.util import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from issuance.config import Settings

EXIT_REFUSED = 2
LANGUAGES = ("sq", "en")

# The file-system failures an operator can fix, in words that say what to fix (sq, en); the
# rest keep the system's own words.
_OS_REASONS = {
    errno.ENOENT: ("nuk ekziston", "it does not exist"),
    errno.ENOTDIR: ("një pjesë e rrugës nuk është dosje", "part of the path is not a folder"),
    errno.EEXIST: ("ekziston, por nuk është dosje", "it exists but is not a folder"),
    errno.EACCES: ("nuk ka leje", "permission denied"),
    errno.EPERM: ("nuk ka leje", "permission denied"),
    errno.EROFS: ("disku është vetëm për lexim", "the disk is read-only"),
    errno.ENOSPC: ("disku është plot", "the disk is full"),
}


class StorageUnusable(IssuanceError):
    """A file or folder the command needs (data folder, database, key) cannot be used."""

    def __init__(self, exc: OSError) -> None:
        own_words = exc.strerror or str(exc) or type(exc).__name__
        reason_sq, reason_en = _OS_REASONS.get(exc.errno or 0, (own_words, own_words))
        if exc.filename is None:
            super().__init__(f"gabim i sistemit: {reason_sq}", f"system error: {reason_en}")
            return
        where = os.fsdecode(exc.filename)
        super().__init__(
            f"«{where}» nuk mund të përdoret: {reason_sq}",
            f"'{where}' cannot be used: {reason_en}",
        )


class MigrationRefused(IssuanceError):
    """Alembic refused, most often because a newer version of the program migrated the
    database to a revision this one does not have."""

    def __init__(self, exc: CommandError) -> None:
        detail = _one_line(str(exc), 300)
        super().__init__(
            f"skema e bazës së të dhënave nuk mund të përditësohet: {detail} "
            "(a e ka përditësuar një version më i ri i programit?)",
            f"the database schema cannot be migrated: {detail} "
            "(was it upgraded by a newer version of the program?)",
        )


class DatabaseFailure(IssuanceError):
    def __init__(self, exc: SQLAlchemyError) -> None:
        # The driver's own words: where the server is and why it did not answer.
        detail = _one_line(str(getattr(exc, "orig", None) or exc), 300)
        super().__init__(f"gabim i bazës së të dhënave: {detail}", f"database error: {detail}")


class Interrupted(IssuanceError):
    def __init__(self) -> None:
        super().__init__("u ndërpre", "interrupted")


def _one_line(text: str, limit: int | None = None) -> str:
    return " ".join(text.split())[:limit]


def _load_settings() -> tuple[Settings | None, str]:
    """The settings and the operator's language, worked out before anything can fail.

    Settings that do not load give ``None`` and ``ISSUANCE_LANGUAGE`` if it names a language,
    else Albanian; the command then loads them itself, meets the same failure and reports it.
    """
    from issuance.config import load_settings

    try:
        settings = load_settings()
    except (IssuanceError, ValueError, OSError):
        chosen = os.environ.get("ISSUANCE_LANGUAGE", "")
        return None, chosen if chosen in LANGUAGES else "sq"
    return settings, settings.language


def console_actor() -> Actor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return Actor.console(user)


def _read_password(stdin: TextIO) -> str:
    if stdin.isatty():
        first = getpass.getpass("Fjalëkalimi / Password: ")
        if getpass.getpass("Përsëriteni / Repeat: ") != first:
            raise IssuanceError("Fjalëkalimet nuk përputhen.", "The passwords do not match.")
        return first
    return stdin.readline().rstrip("\r\n")


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from issuance.config import command_settings
    from issuance.db import migrate
    from issuance.db.engine import engine_for

    engine = engine_for(command_settings(args))
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    print("database at head")
    return 0


def cmd_operator_add(args: argparse.Namespace) -> int:
    from issuance.services import operators

    with wiring.command_context(args) as ctx:
        created = operators.add_operator(
            ctx,
            console_actor(),
            username=args.username,
            full_name=args.full_name,
            role=args.role,
            office_code=args.office,
            password=_read_password(sys.stdin),
        )
    print(f"operator {created.username} added ({created.role.value})")
    if created.totp_uri:
        print(f"second factor (add to an authenticator app): {created.totp_uri}")
    return 0


def cmd_operator_list(args: argparse.Namespace) -> int:
    from issuance.services import operators
    from issuance.wall_clock import local_time

    with wiring.command_context(args) as ctx:
        views = operators.list_operators(ctx, console_actor())
    for view in views:
        state = "active" if view.active else "disabled"
        if view.locked_until:
            state = f"locked until {local_time(view.locked_until):%Y-%m-%d %H:%M}"
        print(f"{view.username}\t{view.role.value}\t{view.office_code or '-'}\t{state}")
    return 0


def cmd_operator_unlock(args: argparse.Namespace) -> int:
    from issuance.services import operators

    with wiring.command_context(args) as ctx:
        operators.unlock(ctx, console_actor(), args.username)
    print(f"operator {args.username} unlocked")
    return 0


def cmd_operator_reset_password(args: argparse.Namespace) -> int:
    from issuance.services import operators

    with wiring.command_context(args) as ctx:
        operators.reset_password(ctx, console_actor(), args.username, _read_password(sys.stdin))
    print(f"password of {args.username} reset")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from issuance.security import audit

    with wiring.command_context(args) as ctx:
        report = audit.verify(ctx, console_actor())
    if report.intact:
        print(f"audit chain intact: {report.events} events")
        return 0
    print(f"audit chain broken at event {report.broken_at}: {report.problem}", file=sys.stderr)
    return 1


Extension = Callable[[argparse._SubParsersAction], None]


def build_parser(
    extra: Sequence[Extension] = (), prog: str = "issuance"
) -> argparse.ArgumentParser:
    """The commands of the product, and ``extra`` ones (development tools add theirs)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="migrate to the newest schema").set_defaults(
        handler=cmd_db_upgrade
    )

    op = sub.add_parser("operator", help="operators").add_subparsers(dest="action", required=True)
    add = op.add_parser("add", help="add an operator (password from stdin)")
    add.add_argument("username")
    add.add_argument("--name", dest="full_name", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in OPERATOR_ROLES])
    add.add_argument("--office", help="two-character office code")
    add.set_defaults(handler=cmd_operator_add)
    op.add_parser("list", help="list operators").set_defaults(handler=cmd_operator_list)
    unlock = op.add_parser("unlock", help="unlock a locked account")
    unlock.add_argument("username")
    unlock.set_defaults(handler=cmd_operator_unlock)
    reset = op.add_parser("reset-password", help="set a new password (from stdin)")
    reset.add_argument("username")
    reset.set_defaults(handler=cmd_operator_reset_password)

    aud = sub.add_parser("audit", help="audit trail").add_subparsers(dest="action", required=True)
    aud.add_parser("verify", help="check the hash chain").set_defaults(handler=cmd_audit_verify)

    for register in [*_extensions(), *extra]:
        register(sub)
    return parser


def _extensions() -> list[Extension]:
    """Commands contributed by capabilities (photo check, keys, card verify, outbox).

    Their modules declare their commands without importing what the commands run.
    """
    from issuance.cli import applications as applications_command
    from issuance.cli import backup as backup_command
    from issuance.cli import cards as cards_command
    from issuance.cli import chip as chip_command
    from issuance.cli import outbox as outbox_command
    from issuance.cli import photo as photo_command
    from issuance.cli import reports as reports_command
    from issuance.cli import retention as retention_command
    from issuance.cli import stock as stock_command

    return [
        photo_command.register, chip_command.register, outbox_command.register,
        cards_command.register, applications_command.register, backup_command.register,
        stock_command.register,
        retention_command.register,
        reports_command.register,
    ]  # fmt: skip


def main(
    argv: Sequence[str] | None = None, extra: Sequence[Extension] = (), prog: str = "issuance"
) -> int:
    parser = build_parser(extra, prog)
    args = parser.parse_args(argv)
    # Once, here: reporting a failure below must never depend on the settings loading.
    args.settings, language = _load_settings()
    try:
        return int(args.handler(args))
    except IssuanceError as exc:
        refusal = exc
    except Exception as exc:
        known = _refusal(exc)
        if known is None:
            raise
        refusal = known
    except KeyboardInterrupt:
        refusal = Interrupted()
    print(f"issuance: {_one_line(refusal.message(language))}", file=sys.stderr)
    return EXIT_REFUSED


def _refusal(exc: Exception) -> IssuanceError | None:
    """The one-line refusal for a failure an operator can act on; ``None`` for a bug.

    SQLAlchemy and Alembic are loaded only by the commands that use them: an exception of
    theirs can only exist once its module is in ``sys.modules``, so the classes are looked
    up there instead of being imported at start.
    """
    database_errors = sys.modules.get("sqlalchemy.exc")
    if database_errors is not None and isinstance(exc, database_errors.SQLAlchemyError):
        from issuance.db.engine import timeout_refusal

        return timeout_refusal(exc) or DatabaseFailure(exc)
    alembic_errors = sys.modules.get("alembic.util.exc")
    if alembic_errors is not None and isinstance(exc, alembic_errors.CommandError):
        return MigrationRefused(exc)
    if isinstance(exc, OSError):
        return StorageUnusable(exc)
    return None


if __name__ == "__main__":
    sys.exit(main())
