"""``issuance keys init``, ``issuance keys issue-ds`` and ``issuance card verify``: the card
operator's command-line tools.

``keys init`` makes the Country Signing CA in a folder meant to stay offline and issues the
desk's Document Signer into the desk's keys folder (never the CSCA's private key);
``keys issue-ds`` issues another desk's Document Signer from that offline CSCA.

``card verify`` opens the chip with the MRZ data, given as the MRZ itself, as the three BAC
fields, or as the document number alone (the birth and expiry dates then come from the
database). Every refusal and every unexpected failure ends as one line and exit code 2.

The keys, the cryptography and the database are imported when a command runs, not when the
``issuance`` command line declares the commands.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from issuance.errors import IssuanceError

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

Handler = Callable[[argparse.Namespace], int]


class CardCommandFailed(IssuanceError):
    """Anything the command did not foresee, reduced to one line instead of a traceback."""

    def __init__(self, exc: BaseException) -> None:
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        super().__init__(
            f"Komanda dështoi papritur: {detail}",
            f"The command failed unexpectedly: {detail}",
        )


class VerifyArgumentsInvalid(IssuanceError):
    """The MRZ data was given in no form, in two forms at once, or half of one."""

    def __init__(self, sq: str, en: str) -> None:
        super().__init__(
            f"{sq} Jepni --mrz, ose --document-number me --birth-date dhe --expiry-date, "
            "ose vetëm --document-number (datat merren nga baza e të dhënave).",
            f"{en} Give --mrz, or --document-number with --birth-date and --expiry-date, or "
            "--document-number alone (the dates are looked up in the database).",
        )


class DateArgumentInvalid(IssuanceError):
    def __init__(self, option: str, value: str) -> None:
        super().__init__(
            f"{option} '{value}' nuk është datë e vlefshme (VVVV-MM-DD).",
            f"{option} '{value}' is not a valid date (YYYY-MM-DD).",
        )


class CardNotInDatabase(IssuanceError):
    def __init__(self, document_number: str) -> None:
        super().__init__(
            f"Asnjë kartë me numër dokumenti {document_number} nuk është në bazën e të dhënave; "
            "jepni --mrz ose datat e lindjes dhe të skadimit.",
            f"No card with document number {document_number} is in the database; give --mrz "
            "or the birth and expiry dates.",
        )
        self.document_number = document_number


class CscaUnreadable(IssuanceError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Certifikata CSCA {path} nuk mund të lexohet ({detail}). Jepni --csca ose "
            "krijoni çelësat me «issuance keys init».",
            f"The CSCA certificate {path} cannot be read ({detail}). Give --csca or create "
            "the keys with 'issuance keys init'.",
        )


def _one_line(handler: Handler) -> Handler:
    """Let the CLI's own refusals through; turn everything else into ``CardCommandFailed``."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return handler(args)
        except (IssuanceError, SQLAlchemyError):
            raise
        except Exception as exc:
            raise CardCommandFailed(exc) from exc

    return run


@_one_line
def cmd_keys_init(args: argparse.Namespace) -> int:
    from issuance.config import command_settings
    from issuance.security.keys import init_keys

    folder = args.folder or command_settings(args).keys_dir
    made = init_keys(folder, args.csca_folder, overwrite=args.overwrite)
    for path in (*made.csca.paths(), *made.desk.paths()):
        print(path)
    print(
        f"The Country Signing CA is in {made.csca.folder}: move that folder to offline storage; "
        f"the desk needs only {made.desk.folder}.",
        file=sys.stderr,
    )
    return 0


@_one_line
def cmd_keys_issue_ds(args: argparse.Namespace) -> int:
    from issuance.config import command_settings
    from issuance.security.keys import DS_COMMON_NAME, default_csca_folder, issue_document_signer

    keys_dir = command_settings(args).keys_dir
    out = args.out or keys_dir
    csca_folder = args.csca_folder or default_csca_folder(keys_dir)
    desk = issue_document_signer(
        csca_folder, out, overwrite=args.overwrite, common_name=args.name or DS_COMMON_NAME
    )
    for path in desk.paths():
        print(path)
    return 0


@dataclass(frozen=True)
class AccessData:
    """What opens the chip (BAC), and where it came from, for the operator to see."""

    document_number: str
    birth_date: date
    expiry_date: date
    source: str

    def line(self) -> str:
        return (
            f"Access data ({self.source}): document {self.document_number}, "
            f"born {self.birth_date:%Y-%m-%d}, expires {self.expiry_date:%Y-%m-%d}"
        )


def _date(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DateArgumentInvalid(option, value) from None


def _from_mrz(arguments: list[str]) -> AccessData:
    from issuance.domain.identity import parse_td1

    # One argument with embedded newlines and three arguments are the same MRZ.
    lines = [line for argument in arguments for line in argument.splitlines() if line.strip()]
    td1 = parse_td1(lines)
    return AccessData(td1.document_number, td1.birth_date, td1.expiry_date, "MRZ")


def _from_database(database_url: str, document_number: str) -> AccessData:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from issuance.db.engine import make_engine
    from issuance.db.models import Applicant, Card

    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            row = session.execute(
                select(Applicant.birth_date, Card.expires_on, Card.status)
                .join(Applicant, Applicant.id == Card.applicant_id)
                .where(Card.document_number == document_number)
            ).one_or_none()
    finally:
        engine.dispose()
    if row is None:
        raise CardNotInDatabase(document_number)
    birth_date, expires_on, status = row
    return AccessData(document_number, birth_date, expires_on, f"database, card {status}")


def access_data(args: argparse.Namespace, database_url: str) -> AccessData:
    """The BAC fields from whichever form the operator used; refuses mixed or partial forms."""
    fields = (args.document_number, args.birth_date, args.expiry_date)
    if args.mrz is not None:
        if any(value is not None for value in fields):
            raise VerifyArgumentsInvalid(
                "--mrz nuk jepet bashkë me fushat e tjera.",
                "--mrz is not given together with the other fields.",
            )
        return _from_mrz(args.mrz)
    if args.document_number is None:
        raise VerifyArgumentsInvalid("Mungojnë të dhënat e MRZ-së.", "The MRZ data is missing.")
    number = "".join(args.document_number.split()).upper()
    if args.birth_date is None and args.expiry_date is None:
        return _from_database(database_url, number)
    if args.birth_date is None or args.expiry_date is None:
        raise VerifyArgumentsInvalid(
            "Jepen të dyja datat ose asnjëra.", "Give both dates or neither."
        )
    return AccessData(
        number,
        _date("--birth-date", args.birth_date),
        _date("--expiry-date", args.expiry_date),
        "given",
    )


def _csca(path: Path) -> asn1_x509.Certificate:
    from cryptography import x509

    from issuance.chip.signing import load_certificate

    try:
        certificate = load_certificate(path)
        # asn1crypto parses lazily: a full parse now refuses a damaged file before the card
        # is read, not halfway through the checks.
        x509.load_der_x509_certificate(certificate.dump())
    except OSError as exc:
        raise CscaUnreadable(path, exc.strerror or type(exc).__name__) from exc
    except Exception as exc:
        raise CscaUnreadable(path, f"not a certificate: {type(exc).__name__}") from exc
    return certificate


@_one_line
def cmd_card_verify(args: argparse.Namespace) -> int:
    # Imported here: pyscard is needed only by those who verify cards.
    from issuance.chip.read_back import verify_card
    from issuance.cli.wiring import command_devices
    from issuance.config import command_settings

    settings = command_settings(args)
    access = access_data(args, settings.database_url)
    csca = _csca(args.csca or settings.keys_dir / "csca.cert.pem")
    reader = args.reader or settings.card_reader
    report = verify_card(
        command_devices(),
        reader,
        access.document_number,
        access.birth_date,
        access.expiry_date,
        csca,
        card_timeout=args.timeout,
    )
    print(access.line())
    print(report)
    return 0 if report.passed else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    keys = subparsers.add_parser("keys", help="document signing keys").add_subparsers(
        dest="action", required=True
    )
    init = keys.add_parser(
        "init",
        help="create a demo Country Signing CA (offline) and this desk's Document Signer",
        description="Creates the Country Signing CA (csca.key.pem, csca.cert.pem) in the "
        "offline CSCA folder (--csca-folder, by default 'csca-offline' next to the desk's keys "
        "folder: <data dir>/csca-offline) and issues this desk's Document Signer into the "
        "desk's keys folder (--folder, by default <data dir>/keys), which then holds only "
        "ds.key.pem, ds.cert.pem and csca.cert.pem. Move the CSCA folder to offline storage; "
        "issue other desks' signers from it with 'issuance keys issue-ds'. Refuses when either "
        "folder already holds keys, unless --overwrite.",
    )
    init.add_argument("--folder", type=Path, help="the desk's keys folder")
    init.add_argument(
        "--csca-folder", type=Path, help="the offline CSCA folder (default: ../csca-offline)"
    )
    init.add_argument("--overwrite", action="store_true", help="replace existing keys")
    init.set_defaults(handler=cmd_keys_init)
    issue = keys.add_parser(
        "issue-ds",
        help="issue a Document Signer for a desk from an existing offline CSCA",
        description="Makes a new Document Signer key and certificate signed by the CSCA in "
        "--csca-folder (default: 'csca-offline' next to this desk's keys folder) and writes "
        "ds.key.pem, ds.cert.pem and csca.cert.pem into --out (default: this desk's keys "
        "folder). Copy the --out folder to the other desk's keys folder. Refuses when --out "
        "already holds keys, unless --overwrite (a renewal).",
    )
    issue.add_argument("--csca-folder", type=Path, help="the offline CSCA folder")
    issue.add_argument("--out", type=Path, help="the keys folder to write")
    issue.add_argument("--name", help="the Document Signer's common name")
    issue.add_argument("--overwrite", action="store_true", help="replace existing keys")
    issue.set_defaults(handler=cmd_keys_issue_ds)

    card = subparsers.add_parser("card", help="cards").add_subparsers(dest="action", required=True)
    verify = card.add_parser(
        "verify",
        help="read a card through BAC, print what it holds and check it",
        description="Give the MRZ, or the document number with both dates, or the document "
        "number alone to take the dates from the database.",
    )
    verify.add_argument(
        "--mrz",
        nargs="+",
        metavar="LINE",
        help="the card's TD1 MRZ: three arguments, or one with the lines on separate lines",
    )
    verify.add_argument("--document-number")
    verify.add_argument("--birth-date", help="YYYY-MM-DD")
    verify.add_argument("--expiry-date", help="YYYY-MM-DD")
    verify.add_argument("--reader", help="e.g. 'pcsc:Virtual PCD 00 00'")
    verify.add_argument("--csca", type=Path, help="CSCA certificate (PEM or DER)")
    verify.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a card")
    verify.set_defaults(handler=cmd_card_verify)
    from issuance.cli.cards import register_card_actions

    register_card_actions(card)
