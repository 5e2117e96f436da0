"""ISO/IEC 19794-4:2011 finger image records: building and parsing, field by field.

A record (big-endian throughout) is a general header and one or more finger representations:

General header, 16 bytes
  0  format identifier "FIR\\0"        4   8  record length (whole record)    4
  4  version number "020\\0"           4  12  number of representations       2
                                          14  certification flag (0 or 1)     1
                                          15  number of distinct positions    1
Finger representation (offsets from its start)
  0  representation length (4)   4  capture date and time (9: year 2, month, day, hour,
  minute, second, millisecond 2)   13  capture device technology (1)   14  device vendor (2)
  16 device type (2)   18  number of quality blocks (1), then 5 bytes each (score, quality
  algorithm vendor 2, algorithm 2); when the header's certification flag is 1, the number of
  certification blocks (1), then 3 bytes each (authority 2, scheme 1); then finger position
  (1), representation number (1), scale units (1: 1 ppi, 2 ppcm), capture device sampling
  rate horizontal and vertical (2 + 2), image sampling rate horizontal and vertical (2 + 2),
  bit depth (1), image compression (1), impression type (1), horizontal and vertical line
  length (2 + 2), image data length (4), the image data, and extended data to the end of
  the representation length.

The layout follows the standard's tables and matches MOSIP's biometrics-util
(``io.mosip.biometrics.util.finger``), which builds the records SBI devices send. Every kind
of malformation is its own ``RecordError`` with an Albanian and English sentence; parsing
arbitrary bytes raises nothing else. Pixels are decoded elsewhere
(``fingerprint_images.record_pixels``): this module only reads and writes the structure.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from datetime import UTC, datetime

from issuance.errors import IssuanceError
from issuance.ports.fingerprint_model import Finger

FORMAT_IDENTIFIER = b"FIR\x00"
VERSION_2011 = b"020\x00"
VERSION_2005 = b"010\x00"
GENERAL_HEADER_LENGTH = 16
# Representation without quality blocks, certification blocks and image: 4 + 9 + 1 + 2 + 2
# + 1 (quality count) + 1 + 1 + 1 + 2 + 2 + 2 + 2 + 1 + 1 + 1 + 2 + 2 + 4 (image length).
FIXED_REPRESENTATION_LENGTH = 41
QUALITY_BLOCK_LENGTH = 5
CERTIFICATION_BLOCK_LENGTH = 3
SCALE_PPI = 1
SCALE_PPCM = 2
REQUIRED_PPI = 500
# 197 pixels per centimetre is 500.38 ppi: the tolerance admits both spellings of 500 ppi.
PPI_TOLERANCE = 5
NO_QUALITY = 255  # "quality score could not be computed" (ISO/IEC 19794-1:2011)
# ``image_format`` of a finger stored as its record (``biometric_captures``, 10 characters).
STORED_FORMAT = "iso19794-4"


class Compression(enum.IntEnum):
    """Image compression algorithm (ISO/IEC 19794-4:2011, table of compression codes)."""

    UNCOMPRESSED = 0
    UNCOMPRESSED_BIT_PACKED = 1
    WSQ = 2
    JPEG = 3
    JPEG2000_LOSSY = 4
    JPEG2000_LOSSLESS = 5
    PNG = 6


class Impression(enum.IntEnum):
    """The impression types of 19794-4:2011 this desk knows."""

    LIVE_SCAN_PLAIN = 0
    LIVE_SCAN_ROLLED = 1
    NON_LIVE_PLAIN = 2
    NON_LIVE_ROLLED = 3
    LATENT_IMPRESSION = 4
    LATENT_TRACING = 5
    LATENT_PHOTO = 6
    LATENT_LIFT = 7
    LIVE_SCAN_SWIPE = 8
    LIVE_SCAN_VERTICAL_SWIPE = 9
    CONTACTLESS_PLAIN = 24
    CONTACTLESS_ROLLED = 25
    OTHER = 28
    UNKNOWN = 29


LATENT = frozenset(range(4, 8))

# Finger position codes (ISO/IEC 19794-4:2011, table "Finger position codes"; the same codes
# as ANSI/NIST-ITL): 1-5 right thumb to little, 6-10 left thumb to little.
POSITION: dict[Finger, int] = {
    Finger.RIGHT_THUMB: 1,
    Finger.RIGHT_INDEX: 2,
    Finger.RIGHT_MIDDLE: 3,
    Finger.RIGHT_RING: 4,
    Finger.RIGHT_LITTLE: 5,
    Finger.LEFT_THUMB: 6,
    Finger.LEFT_INDEX: 7,
    Finger.LEFT_MIDDLE: 8,
    Finger.LEFT_RING: 9,
    Finger.LEFT_LITTLE: 10,
}
FINGER_AT: dict[int, Finger] = {code: finger for finger, code in POSITION.items()}
UNKNOWN_POSITION = 0
# 0 unknown, 1-10 fingers, 11-15 plain slaps (19794-4 also defines palm codes 20-38).
_KNOWN_POSITIONS = frozenset(range(0, 16)) | frozenset(range(20, 39))


# -- refusals ----------------------------------------------------------------------------------


class RecordError(IssuanceError, ValueError):
    """Base of every refusal of a finger image record; a ``ValueError`` too."""


class NotAFingerRecord(RecordError):
    def __init__(self) -> None:
        super().__init__(
            "Vlera biometrike nuk është një regjistrim imazhi gishti ISO/IEC 19794-4 "
            "(mungon identifikuesi «FIR»).",
            "The biometric value is not an ISO/IEC 19794-4 finger image record "
            "(the 'FIR' format identifier is missing).",
        )


class UnsupportedVersion(RecordError):
    def __init__(self, version: bytes) -> None:
        shown = version.rstrip(b"\x00").decode("ascii", "replace") or "?"
        super().__init__(
            f"Regjistrimi i gjurmës është i versionit {shown}; pranohet vetëm versioni 020 "
            "(ISO/IEC 19794-4:2011).",
            f"The finger record is version {shown}; only version 020 "
            "(ISO/IEC 19794-4:2011) is accepted.",
        )
        self.version = version


class RecordTruncated(RecordError):
    def __init__(self, needed: int, available: int) -> None:
        super().__init__(
            f"Regjistrimi i gjurmës është i cunguar: duhen {needed} bajte, ka {available}.",
            f"The finger record is cut short: {needed} bytes are needed, {available} are there.",
        )


class RecordLengthMismatch(RecordError):
    def __init__(self, what_sq: str, what_en: str, declared: int, actual: int) -> None:
        super().__init__(
            f"Gjatësia e {what_sq} në regjistrimin e gjurmës është {declared} bajte, "
            f"por të dhënat janë {actual} bajte.",
            f"The finger record declares {declared} bytes for {what_en}, "
            f"but the data are {actual} bytes.",
        )


class InvalidField(RecordError):
    def __init__(self, name_sq: str, name_en: str, value: object) -> None:
        super().__init__(
            f"Regjistrimi i gjurmës ka vlerë të pavlefshme për {name_sq}: {value}.",
            f"The finger record has an invalid value for {name_en}: {value}.",
        )
        self.field_name = name_en


class PositionMismatch(RecordError):
    def __init__(self, requested: Finger, code: int) -> None:
        found = FINGER_AT.get(code)
        shown = found.value if found else f"code {code}"
        super().__init__(
            f"Skaneri dërgoi gishtin «{shown}» (pozicioni ISO {code}) aty ku pritej "
            f"«{requested.value}» (pozicioni {POSITION[requested]}).",
            f"The scanner sent finger '{shown}' (ISO position {code}) where "
            f"'{requested.value}' (position {POSITION[requested]}) was expected.",
        )


class WrongResolution(RecordError):
    def __init__(self, ppi_h: float, ppi_v: float) -> None:
        shown = f"{ppi_h:.0f} x {ppi_v:.0f}"
        super().__init__(
            f"Imazhi i gjurmës është {shown} ppi; kërkohet {REQUIRED_PPI} ppi.",
            f"The fingerprint image is {shown} ppi; {REQUIRED_PPI} ppi is required.",
        )


class UnsupportedCompression(RecordError):
    def __init__(self, name: str, reason_sq: str, reason_en: str) -> None:
        super().__init__(
            f"Ngjeshja «{name}» e imazhit të gjurmës nuk pranohet: {reason_sq}.",
            f"The fingerprint image compression '{name}' is not accepted: {reason_en}.",
        )
        self.compression = name


class UnsupportedBitDepth(RecordError):
    def __init__(self, depth: int) -> None:
        super().__init__(
            f"Imazhi i gjurmës ka {depth} bit për piksel; pranohen vetëm 8 bit gri.",
            f"The fingerprint image has {depth} bits per pixel; only 8-bit greyscale is accepted.",
        )


class NotAnEnrolmentImpression(RecordError):
    def __init__(self, code: int) -> None:
        super().__init__(
            f"Lloji i gjurmës (kodi {code}) është gjurmë latente ose i panjohur, jo një kapje "
            "regjistrimi.",
            f"The impression type (code {code}) is latent or unknown, not an enrolment capture.",
        )


class NotOneFinger(RecordError):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"Regjistrimi i gjurmës mbart {count} paraqitje; pritej saktësisht një gisht.",
            f"The finger record carries {count} representations; exactly one finger was expected.",
        )


class ImageDoesNotMatchRecord(RecordError):
    def __init__(self, detail_sq: str, detail_en: str) -> None:
        super().__init__(
            f"Imazhi brenda regjistrimit të gjurmës nuk përputhet me kokën e tij: {detail_sq}.",
            f"The image inside the finger record does not match its header: {detail_en}.",
        )


# -- the record -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityBlock:
    """A quality score (0-100, 255 = not computed) and the algorithm that gave it."""

    score: int
    vendor: int = 0
    algorithm: int = 0


@dataclass(frozen=True)
class CertificationBlock:
    authority: int
    scheme: int


@dataclass(frozen=True)
class FingerRepresentation:
    """One finger image with its header fields (19794-4:2011 finger representation)."""

    position: int
    compression: Compression
    width: int
    height: int
    image: bytes
    captured_at: datetime | None = None
    ppi: int = REQUIRED_PPI
    scan_ppi: int = REQUIRED_PPI
    scale_units: int = SCALE_PPI
    image_rate_v: int | None = None
    scan_rate_v: int | None = None
    bit_depth: int = 8
    impression: int = Impression.LIVE_SCAN_PLAIN
    quality: tuple[QualityBlock, ...] = ()
    certifications: tuple[CertificationBlock, ...] = ()
    technology: int = 0
    vendor: int = 0
    device_type: int = 0
    number: int = 0
    extended_data: bytes = b""

    @property
    def finger(self) -> Finger | None:
        return FINGER_AT.get(self.position)

    @property
    def resolution_ppi(self) -> tuple[float, float]:
        """Image sampling rate (horizontal, vertical) in pixels per inch."""
        vertical = self.ppi if self.image_rate_v is None else self.image_rate_v
        factor = 2.54 if self.scale_units == SCALE_PPCM else 1.0
        return self.ppi * factor, vertical * factor


@dataclass(frozen=True)
class FingerImageRecord:
    """A whole record: its representations and the general header's certification flag."""

    representations: tuple[FingerRepresentation, ...]
    certified: bool = False
    version: bytes = VERSION_2011

    @property
    def distinct_positions(self) -> int:
        return len({r.position for r in self.representations})


# -- building ---------------------------------------------------------------------------------


def build(record: FingerImageRecord) -> bytes:
    """The record's bytes, lengths computed; refuses values that do not fit their fields."""
    if not record.representations:
        raise InvalidField("numrin e paraqitjeve", "number of representations", 0)
    body = b"".join(_representation_bytes(r, record.certified) for r in record.representations)
    header = struct.pack(
        ">4s4sIHBB", FORMAT_IDENTIFIER, VERSION_2011, GENERAL_HEADER_LENGTH + len(body),
        len(record.representations), 1 if record.certified else 0, record.distinct_positions,
    )  # fmt: skip
    return header + body


def finger_record(
    finger: Finger,
    image: bytes,
    compression: Compression,
    width: int,
    height: int,
    quality: int | None = None,
    captured_at: datetime | None = None,
) -> bytes:
    """A one-finger record at 500 ppi, live-scan plain, with an optional quality block.

    The quality block names no algorithm (vendor and algorithm 0): the score is the
    scanner's own, not NFIQ 2, and the record must not claim otherwise.
    """
    blocks = () if quality is None else (QualityBlock(max(0, min(100, quality))),)
    representation = FingerRepresentation(
        position=POSITION[finger], compression=compression, width=width, height=height,
        image=image, captured_at=captured_at or datetime.now(UTC), quality=blocks,
    )  # fmt: skip
    return build(FingerImageRecord((representation,)))


def _representation_bytes(rep: FingerRepresentation, certified: bool) -> bytes:
    if rep.certifications and not certified:
        raise InvalidField("flamurin e certifikimit", "certification flag", 0)
    quality = b"".join(struct.pack(">BHH", q.score, q.vendor, q.algorithm) for q in rep.quality)
    certification = b""
    if certified:
        certification = struct.pack(">B", len(rep.certifications)) + b"".join(
            struct.pack(">HB", c.authority, c.scheme) for c in rep.certifications
        )
    rate_v = rep.ppi if rep.image_rate_v is None else rep.image_rate_v
    scan_v = rep.scan_ppi if rep.scan_rate_v is None else rep.scan_rate_v
    tail = struct.pack(
        ">BBBHHHHBBBHHI", rep.position, rep.number, rep.scale_units, rep.scan_ppi, scan_v,
        rep.ppi, rate_v, rep.bit_depth, int(rep.compression), int(rep.impression), rep.width,
        rep.height, len(rep.image),
    )  # fmt: skip
    length = FIXED_REPRESENTATION_LENGTH + len(quality) + len(certification)
    length += len(rep.image) + len(rep.extended_data)
    head = struct.pack(">I", length) + _date_bytes(rep.captured_at)
    head += struct.pack(">BHHB", rep.technology, rep.vendor, rep.device_type, len(rep.quality))
    return head + quality + certification + tail + rep.image + rep.extended_data


def _date_bytes(at: datetime | None) -> bytes:
    if at is None:  # every byte 0xFF: date and time not given
        return b"\xff" * 9
    at = at.astimezone(UTC)
    return struct.pack(
        ">HBBBBBH", at.year, at.month, at.day, at.hour, at.minute, at.second,
        at.microsecond // 1000,
    )  # fmt: skip


# -- parsing ----------------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: bytes, start: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = start
        self.end = len(data) if end is None else end

    def take(self, count: int) -> bytes:
        if self.pos + count > self.end:
            raise RecordTruncated(self.pos + count, self.end)
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def unpack(self, fmt: str) -> tuple[int, ...]:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))


def parse(data: bytes) -> FingerImageRecord:
    """The record in ``data``; any malformation is a ``RecordError`` naming what is wrong."""
    if len(data) < 4 or data[:4] != FORMAT_IDENTIFIER:
        raise NotAFingerRecord()
    reader = _Reader(data)
    reader.take(4)
    version = reader.take(4)
    if version != VERSION_2011:
        raise UnsupportedVersion(version)
    length, count, certification, _distinct = reader.unpack(">IHBB")
    if length != len(data):
        raise RecordLengthMismatch("regjistrimit", "the record", length, len(data))
    if count == 0:
        raise InvalidField("numrin e paraqitjeve", "number of representations", count)
    if certification not in (0, 1):
        raise InvalidField("flamurin e certifikimit", "certification flag", certification)
    representations = []
    for _ in range(count):
        representations.append(_representation(reader, certification == 1))
    if reader.pos != len(data):
        raise RecordLengthMismatch("paraqitjeve", "the representations", reader.pos, len(data))
    return FingerImageRecord(tuple(representations), certification == 1, version)


def _representation(reader: _Reader, certified: bool) -> FingerRepresentation:
    start = reader.pos
    (length,) = reader.unpack(">I")
    if length < FIXED_REPRESENTATION_LENGTH:
        raise RecordLengthMismatch("paraqitjes", "a representation", length, reader.end - start)
    end = start + length
    if end > reader.end:
        raise RecordTruncated(end, reader.end)
    inner = _Reader(reader.data, reader.pos, end)
    captured_at = _date(inner.take(9))
    technology, vendor, device_type, quality_count = inner.unpack(">BHHB")
    quality = tuple(QualityBlock(*inner.unpack(">BHH")) for _ in range(quality_count))
    for block in quality:
        if block.score > 100 and block.score != NO_QUALITY:
            raise InvalidField("notën e cilësisë", "quality score", block.score)
    certifications: tuple[CertificationBlock, ...] = ()
    if certified:
        (cert_count,) = inner.unpack(">B")
        certifications = tuple(CertificationBlock(*inner.unpack(">HB")) for _ in range(cert_count))
    (position, number, scale, scan_h, scan_v, rate_h, rate_v, depth, compression, impression,
     width, height, image_length) = inner.unpack(">BBBHHHHBBBHHI")  # fmt: skip
    image = inner.take(image_length)
    reader.pos = end
    return FingerRepresentation(
        position=_checked_position(position), compression=_compression(compression),
        width=_side("gjerësinë e imazhit", "horizontal line length", width),
        height=_side("lartësinë e imazhit", "vertical line length", height),
        image=image, captured_at=captured_at, ppi=rate_h, scan_ppi=scan_h,
        scale_units=_scale(scale), image_rate_v=rate_v, scan_rate_v=scan_v, bit_depth=depth,
        impression=_impression(impression), quality=quality, certifications=certifications,
        technology=technology, vendor=vendor, device_type=device_type, number=number,
        extended_data=reader.data[inner.pos : end],
    )  # fmt: skip


def _date(raw: bytes) -> datetime | None:
    if raw == b"\xff" * 9:
        return None
    year, month, day, hour, minute, second, millis = struct.unpack(">HBBBBBH", raw)
    try:
        return datetime(year, month, day, hour, minute, second, millis * 1000, tzinfo=UTC)
    except ValueError as exc:
        shown = f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
        raise InvalidField("datën e kapjes", "capture date and time", shown) from exc


def _checked_position(code: int) -> int:
    if code not in _KNOWN_POSITIONS:
        raise InvalidField("pozicionin e gishtit", "finger position", code)
    return code


def _compression(code: int) -> Compression:
    try:
        return Compression(code)
    except ValueError:
        raise InvalidField("algoritmin e ngjeshjes", "image compression algorithm", code) from None


def _impression(code: int) -> int:
    try:
        return Impression(code)
    except ValueError:
        raise InvalidField("llojin e gjurmës", "impression type", code) from None


def _scale(code: int) -> int:
    if code not in (SCALE_PPI, SCALE_PPCM):
        raise InvalidField("njësinë e shkallës", "scale units", code)
    return code


def _side(name_sq: str, name_en: str, value: int) -> int:
    if value == 0:
        raise InvalidField(name_sq, name_en, value)
    return value


# -- what an enrolment accepts ---------------------------------------------------------------


def enrolment_representation(
    record: FingerImageRecord, finger: Finger | None
) -> FingerRepresentation:
    """The record's one finger, checked for an enrolment of ``finger`` (None: any finger).

    One representation, of ``finger``'s position (or of a single finger when the device
    named none), 500 ppi, 8 bits, a compression we can decode, not a latent impression.
    """
    if len(record.representations) != 1:
        raise NotOneFinger(len(record.representations))
    rep = record.representations[0]
    if finger is not None and rep.position != POSITION[finger]:
        raise PositionMismatch(finger, rep.position)
    if finger is None and rep.finger is None:
        raise InvalidField("pozicionin e gishtit", "finger position", rep.position)
    ppi_h, ppi_v = rep.resolution_ppi
    if abs(ppi_h - REQUIRED_PPI) > PPI_TOLERANCE or abs(ppi_v - REQUIRED_PPI) > PPI_TOLERANCE:
        raise WrongResolution(ppi_h, ppi_v)
    if rep.bit_depth != 8:
        raise UnsupportedBitDepth(rep.bit_depth)
    if rep.compression is Compression.UNCOMPRESSED_BIT_PACKED:
        raise UnsupportedCompression(
            "bit-packed", "pikselët e paketuar në bit nuk lexohen", "bit-packed pixels are not read"
        )
    if rep.impression in LATENT or rep.impression in (Impression.OTHER, Impression.UNKNOWN):
        raise NotAnEnrolmentImpression(rep.impression)
    return rep
