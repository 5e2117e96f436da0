"""The Logical Data Structure files of the card (ICAO 9303 part 10): EF.COM, DG1, DG2, DG11.

EF.SOD is built in ``security_object``; ``build_lds`` puts everything together.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from issuance.chip.bac import BacKey
from issuance.chip.errors import ChipContentMalformed, ChipDataInvalid
from issuance.chip.face_record import FaceImage, decode_facial_record, encode_facial_record
from issuance.chip.tlv import parse_tlv, single, tlv

LDS_VERSION = b"0107"
UNICODE_VERSION = b"040000"
# Data group number -> (LDS tag, file identifier)
DATA_GROUPS = {1: (0x61, 0x0101), 2: (0x75, 0x0102), 11: (0x6B, 0x010B)}
EF_COM = 0x011E
EF_SOD = 0x011D
DG11_TAGS = (0x5F0E, 0x5F10, 0x5F11, 0x5F42)
BIOMETRIC_TYPE_FACE = 0x02
FORMAT_OWNER_SC37 = 0x0101
FORMAT_TYPE_FACE = 0x0008
_MRZ_LINE = re.compile(r"[A-Z0-9<]{30}")
_DOCUMENT_NUMBER = re.compile(r"[A-Z0-9<]{1,9}")


@dataclass(frozen=True)
class ChipData:
    """Everything that goes on the chip of one card.

    ``full_name`` is stored as given (NFC) — ICAO 9303-10 wants the primary identifier, ``<<``,
    then the secondary identifiers, with diacritics (see ``icao_full_name``). Dates are
    ``date`` objects or MRZ strings ``YYMMDD``.
    """

    mrz_lines: tuple[str, str, str]
    face_jpeg: bytes
    face_width: int
    face_height: int
    full_name: str
    nid: str
    place_of_birth: str
    address: str
    document_number: str
    birth_date: date | str
    expiry_date: date | str

    def __post_init__(self) -> None:
        if len(self.mrz_lines) != 3 or not all(_MRZ_LINE.fullmatch(x) for x in self.mrz_lines):
            raise ChipDataInvalid("the MRZ must be three TD1 lines of 30 characters")
        if not self.face_jpeg.startswith(b"\xff\xd8"):
            raise ChipDataInvalid("the face image is not a JPEG")
        if not (0 < self.face_width < 65536 and 0 < self.face_height < 65536):
            raise ChipDataInvalid("the face image size is out of range")
        if not _DOCUMENT_NUMBER.fullmatch(self.document_number):
            raise ChipDataInvalid("the document number must be 1-9 characters A-Z, 0-9")
        if not self.full_name.strip() or not self.nid:
            raise ChipDataInvalid("the full name and the personal number are required")

    def bac_key(self) -> BacKey:
        return BacKey.of(self.document_number, self.birth_date, self.expiry_date)

    def mrz(self) -> str:
        return "".join(self.mrz_lines)


def icao_full_name(surname: str, given_names: str) -> str:
    """DG11 full name: primary identifier ``<<`` secondary identifiers, spaces as ``<``."""
    parts = [p.strip().replace(" ", "<") for p in (surname, given_names)]
    return unicodedata.normalize("NFC", "<<".join(p for p in parts if p))


def _text(value: str) -> bytes:
    return unicodedata.normalize("NFC", value).encode("utf-8")


def build_com(data_groups: tuple[int, ...] = (1, 2, 11)) -> bytes:
    tags = bytes(DATA_GROUPS[n][0] for n in data_groups)
    body = tlv(0x5F01, LDS_VERSION) + tlv(0x5F36, UNICODE_VERSION) + tlv(0x5C, tags)
    return tlv(0x60, body)


def build_dg1(data: ChipData) -> bytes:
    return tlv(0x61, tlv(0x5F1F, data.mrz().encode("ascii")))


def build_dg2(data: ChipData) -> bytes:
    face = FaceImage(data.face_jpeg, data.face_width, data.face_height)
    header = (
        tlv(0x80, b"\x01\x01")  # ICAO header version 1.1
        + tlv(0x81, bytes([BIOMETRIC_TYPE_FACE]))
        + tlv(0x87, FORMAT_OWNER_SC37.to_bytes(2, "big"))
        + tlv(0x88, FORMAT_TYPE_FACE.to_bytes(2, "big"))
    )
    instance = tlv(0x7F60, tlv(0xA1, header) + tlv(0x5F2E, encode_facial_record(face)))
    return tlv(0x75, tlv(0x7F61, tlv(0x02, b"\x01") + instance))


def build_dg11(data: ChipData) -> bytes:
    tag_list = b"".join(t.to_bytes(2, "big") for t in DG11_TAGS)
    values = (data.full_name, data.nid, data.place_of_birth, data.address)
    body = tlv(0x5C, tag_list)
    body += b"".join(tlv(tag, _text(v)) for tag, v in zip(DG11_TAGS, values, strict=True))
    return tlv(0x6B, body)


@dataclass(frozen=True)
class LdsFiles:
    """The encoded files of one chip, ready to be written."""

    com: bytes
    data_groups: dict[int, bytes]
    sod: bytes

    def by_file_id(self) -> list[tuple[int, bytes]]:
        """(file id, content) in the order they are written; the SOD last."""
        files = [(EF_COM, self.com)]
        files += [(DATA_GROUPS[n][1], dg) for n, dg in sorted(self.data_groups.items())]
        return files + [(EF_SOD, self.sod)]


# --- reading back -------------------------------------------------------------------------


def read_dg1_mrz(dg1: bytes) -> str:
    return parse_tlv(single(dg1, 0x61))[0x5F1F].decode("ascii")


def read_dg2_face(dg2: bytes) -> FaceImage:
    group = parse_tlv(single(dg2, 0x75))
    instance = parse_tlv(group[0x7F61])
    template = parse_tlv(instance[0x7F60])
    header = parse_tlv(template[0xA1])
    if header.get(0x81) != bytes([BIOMETRIC_TYPE_FACE]):
        raise ChipContentMalformed("DG2 does not hold a facial biometric")
    return decode_facial_record(template[0x5F2E])


@dataclass(frozen=True)
class HolderDetails:
    full_name: str
    personal_number: str
    place_of_birth: str
    address: str


def read_dg11(dg11: bytes) -> HolderDetails:
    fields = parse_tlv(single(dg11, 0x6B))
    try:
        text = [fields.get(tag, b"").decode("utf-8") for tag in DG11_TAGS]
    except UnicodeDecodeError as exc:
        raise ChipContentMalformed("DG11 text is not UTF-8") from exc
    return HolderDetails(*text)


def read_com_data_groups(com: bytes) -> list[int]:
    tags = parse_tlv(single(com, 0x60)).get(0x5C, b"")
    by_tag = {tag: number for number, (tag, _) in DATA_GROUPS.items()}
    return [by_tag[t] for t in tags if t in by_tag]
