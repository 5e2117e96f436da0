"""What the documents print: plain frozen dataclasses filled by the services."""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from dataclasses import dataclass, field

from issuance import labels
from issuance.documents.errors import (
    InvalidBarcodeValue,
    InvalidDocumentNumber,
    InvalidMrz,
    MissingField,
)

DOCUMENT_NUMBER = re.compile(r"[A-Z0-9]{9}")
MRZ_LINE = re.compile(r"[A-Z0-9<]*")
BARCODE_TEXT = re.compile(r"[\x20-\x7e]{1,40}")


@dataclass(frozen=True)
class CardFaceData:
    """Everything printed on the two faces of one residence card.

    ``signature_png`` is None when the holder cannot sign. ``mrz_lines`` are computed elsewhere
    (ICAO 9303 part 5, TD1) and printed as given.
    """

    surname: str
    given_names: str
    sex: str
    birth_date: dt.date
    place_of_birth: str
    nationality_name: str
    nationality_code: str
    nid: str
    document_number: str
    issue_date: dt.date
    expiry_date: dt.date
    permit_type: str
    photo_jpeg: bytes | None
    signature_png: bytes | None
    mrz_lines: tuple[str, str, str]


@dataclass(frozen=True)
class ReceiptData:
    """The applicant's proof that an application was submitted, and what happens next."""

    application_number: str
    office_name: str
    office_address: str
    submitted_at: dt.datetime
    surname: str
    given_names: str
    sex: str
    birth_date: dt.date
    place_of_birth: str
    nationality_name: str
    nationality_code: str
    passport_number: str
    permit_number: str
    permit_type: str
    photo_jpeg: bytes | None
    decision_expected_by: dt.date
    card_expected_by: dt.date
    father_name: str = ""
    contact: str = ""
    address: str = ""


class Decision(enum.Enum):
    APPROVED = "approved"
    REJECTED = "rejected"
    PENDING = "pending"

    @property
    def words(self) -> str:
        return {
            Decision.APPROVED: "Miratuar / Approved",
            Decision.REJECTED: "Refuzuar / Rejected",
            Decision.PENDING: "Në pritje / Pending",
        }[self]


@dataclass(frozen=True)
class ManifestRow:
    application_number: str
    surname: str
    given_names: str
    nationality_code: str
    permit_number: str
    decision: Decision
    reason: str = ""
    document_number: str = ""


@dataclass(frozen=True)
class BatchManifest:
    """A supervisor's batch: every application in it with its decision."""

    batch_number: str
    office_name: str
    supervisor: str
    decided_at: dt.datetime
    rows: tuple[ManifestRow, ...] = field(default_factory=tuple)


def nfc(text: str) -> str:
    """Names are printed exactly as the register spells them, in NFC."""
    return unicodedata.normalize("NFC", text)


def require_text(value: str, name: str) -> str:
    value = nfc(" ".join((value or "").split()))
    if not value:
        raise MissingField(name)
    return value


def check_document_number(value: str) -> str:
    if not DOCUMENT_NUMBER.fullmatch(value or ""):
        raise InvalidDocumentNumber()
    return value


def check_barcode_text(value: str, name: str) -> str:
    if not BARCODE_TEXT.fullmatch(value or ""):
        raise InvalidBarcodeValue(name)
    return value


def check_mrz(lines: tuple[str, ...], length: int = 30, count: int = 3) -> tuple[str, ...]:
    if lines is None or len(lines) != count:
        raise InvalidMrz(f"expected {count} lines")
    for number, line in enumerate(lines, start=1):
        if len(line) != length:
            raise InvalidMrz(f"line {number} has {len(line)} characters")
        if not MRZ_LINE.fullmatch(line):
            raise InvalidMrz(f"line {number} has a character outside A-Z, 0-9, '<'")
    return tuple(lines)


def format_date(value: dt.date) -> str:
    return labels.format_date(value)
