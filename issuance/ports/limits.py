"""Every limit on what the desk accepts from outside, declared once, and the refusals raised
when one is crossed.

Each limit is checked before any work depends on the input's size: an image's pixel count is
read from its header before it is decoded, a file's size before it is read, a request body's
declared length before it is read, a search's length before a query is built. Every refusal is
an ``IssuanceError`` (Albanian and English words, exit code 2 on the command line); those
raised while parsing bytes are ``ValueError`` too, so parsers' callers that already turn a
``ValueError`` into their own refusal keep doing so.

Nothing heavy is imported here: Pillow is loaded only when an image header is read.
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from issuance.errors import IssuanceError

KIB = 1024
MIB = 1024 * KIB

# -- the limits -------------------------------------------------------------------------------

# Photos brought as files (`issuance photo check`, photo_from_file): a 24-megapixel camera's
# 6000 x 4000 still fits; checking one takes ~0.25 s and ~250 MB.
PHOTO_MAX_BYTES = 20 * MIB
PHOTO_MAX_PIXELS = 25_000_000
# ... and no sliver: the face finder scales the height to 120 pixels, which must leave width.
PHOTO_MIN_SIDE = 64
PHOTO_MAX_ASPECT = 4
# Fingerprint images from the SBI scanner (a 4-4-2 slap at 1000 ppi is ~3200 x 3000).
FINGERPRINT_MAX_BYTES = 10 * MIB
FINGERPRINT_MAX_PIXELS = 10_000_000
# No side longer than this, whatever the pixel count (a 1 x 25,000,000 strip is no photo).
IMAGE_MAX_SIDE = 20_000
# The image formats whose header is read before decoding; anything else is unreadable.
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "JPEG2000", "BMP", "TIFF", "WEBP", "PPM"})

# Scans attached to an application (DESIGN: PDF only, at most 5 MB) and their file names.
PDF_MAX_BYTES = 5 * MIB
DOCUMENT_NAME_MAX_CHARS = 255

# Search: enough for a full name or any identifier; each word typed is a condition of the query.
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 10

# Names as the registers give them: the contracts' `Name` (1-100 characters), which the
# answers are validated against (tests/issuance/ports/test_limits.py keeps the two equal).
NAME_MAX_CHARS = 100

# HTTP bodies: requests to the stand-ins and answers of the registers, and how deep JSON may
# nest in either (the contracts' bodies nest 4 levels; contextual data a few more).
STAND_IN_BODY_MAX_BYTES = 1 * MIB
REGISTER_ANSWER_MAX_BYTES = 4 * MIB
# A fingerprint scanner's SBI answer: ten finger images in base64 with their signatures.
SBI_ANSWER_MAX_BYTES = 64 * MIB
JSON_MAX_DEPTH = 32


@dataclass(frozen=True)
class Limit:
    """One row of the limits table (``TABLE``), for documentation and the tests."""

    name: str
    value: int
    unit: str
    applies_to: str


TABLE: tuple[Limit, ...] = (
    Limit("PHOTO_MAX_BYTES", PHOTO_MAX_BYTES, "bytes", "photo file (photo check, from file)"),
    Limit("PHOTO_MAX_PIXELS", PHOTO_MAX_PIXELS, "pixels", "photo, from its header"),
    Limit("PHOTO_MIN_SIDE", PHOTO_MIN_SIDE, "pixels", "photo: shortest side, from its header"),
    Limit("PHOTO_MAX_ASPECT", PHOTO_MAX_ASPECT, "ratio", "photo: long side / short side"),
    Limit("FINGERPRINT_MAX_BYTES", FINGERPRINT_MAX_BYTES, "bytes", "SBI bioValue image"),
    Limit("FINGERPRINT_MAX_PIXELS", FINGERPRINT_MAX_PIXELS, "pixels", "SBI image, header"),
    Limit("IMAGE_MAX_SIDE", IMAGE_MAX_SIDE, "pixels", "width or height of any image"),
    Limit("PDF_MAX_BYTES", PDF_MAX_BYTES, "bytes", "uploaded scan (PDF only)"),
    Limit("DOCUMENT_NAME_MAX_CHARS", DOCUMENT_NAME_MAX_CHARS, "characters", "scan file name"),
    Limit("SEARCH_MAX_CHARS", SEARCH_MAX_CHARS, "characters", "search text"),
    Limit("SEARCH_MAX_WORDS", SEARCH_MAX_WORDS, "words", "search text"),
    Limit("NAME_MAX_CHARS", NAME_MAX_CHARS, "characters", "names in register answers"),
    Limit("STAND_IN_BODY_MAX_BYTES", STAND_IN_BODY_MAX_BYTES, "bytes", "stand-in request"),
    Limit("REGISTER_ANSWER_MAX_BYTES", REGISTER_ANSWER_MAX_BYTES, "bytes", "register answer"),
    Limit("SBI_ANSWER_MAX_BYTES", SBI_ANSWER_MAX_BYTES, "bytes", "fingerprint scanner answer"),
    Limit("JSON_MAX_DEPTH", JSON_MAX_DEPTH, "levels", "JSON request and answer bodies"),
)  # fmt: skip


# -- the refusals -----------------------------------------------------------------------------


def _count(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _size(value: int) -> str:
    if value >= MIB:
        return f"{value / MIB:.1f} MB"
    if value >= KIB:
        return f"{value / KIB:.0f} kB"
    return f"{value} B"


class LimitExceeded(IssuanceError):
    """An input is larger than a limit of this module allows; ``limit`` and ``actual`` in the
    limit's unit."""

    def __init__(self, sq: str, en: str, *, limit: int, actual: int) -> None:
        super().__init__(sq, en)
        self.limit = limit
        self.actual = actual


class UnreadableImage(IssuanceError, ValueError):
    """The bytes are no image of a format we read, or its decoder failed on them."""

    def __init__(self, name: str, what_sq: str = "imazh", what_en: str = "image") -> None:
        super().__init__(
            f"Skedari «{name}» nuk është {what_sq} i lexueshëm.",
            f"The file '{name}' is not a readable {what_en}.",
        )
        self.name = name


class ImageTooLarge(LimitExceeded, ValueError):
    """The image's header declares more pixels (or a longer side) than allowed; ``size`` is
    (width, height) when the header said it, ``None`` when only the pixel count is known."""

    def __init__(
        self, name: str, pixels: int, limit: int, size: tuple[int, int] | None = None
    ) -> None:
        has_sq = f"{size[0]} × {size[1]} piksela" if size else f"{_count(pixels)} piksela"
        has_en = f"is {size[0]} × {size[1]} pixels" if size else f"has {_count(pixels)} pixels"
        super().__init__(
            f"Imazhi «{name}» ka {has_sq}; pranohen të shumtën "
            f"{_count(limit)} piksela dhe {_count(IMAGE_MAX_SIDE)} për anë.",
            f"The image '{name}' {has_en}; at most {_count(limit)} pixels "
            f"and {_count(IMAGE_MAX_SIDE)} per side are accepted.",
            limit=limit,
            actual=pixels,
        )
        self.name = name
        self.size = size


class ImageShapeUnusable(LimitExceeded, ValueError):
    """A photo too small, or too long for its width, to hold a portrait."""

    def __init__(self, name: str, width: int, height: int) -> None:
        super().__init__(
            f"Imazhi «{name}» ka {width} × {height} piksela; një fotografi ka të paktën "
            f"{PHOTO_MIN_SIDE} piksela për anë dhe anën e gjatë jo më shumë se "
            f"{PHOTO_MAX_ASPECT} herë të shkurtrën.",
            f"The image '{name}' is {width} × {height} pixels; a photo has at least "
            f"{PHOTO_MIN_SIDE} pixels per side and its long side at most {PHOTO_MAX_ASPECT} "
            "times the short one.",
            limit=PHOTO_MIN_SIDE,
            actual=min(width, height),
        )
        self.name = name
        self.size = (width, height)


class FileTooLarge(LimitExceeded, ValueError):
    def __init__(self, name: str, size: int, limit: int) -> None:
        super().__init__(
            f"Skedari «{name}» është {_size(size)}; lejohen të shumtën {_size(limit)}.",
            f"The file '{name}' is {_size(size)}; at most {_size(limit)} is allowed.",
            limit=limit,
            actual=size,
        )
        self.name = name


class SearchTooLong(LimitExceeded):
    def __init__(self, *, chars: int | None = None, words: int | None = None) -> None:
        if words is not None:
            super().__init__(
                f"Kërkimi ka {words} fjalë; shkruani të shumtën {SEARCH_MAX_WORDS}.",
                f"The search has {words} words; type at most {SEARCH_MAX_WORDS}.",
                limit=SEARCH_MAX_WORDS,
                actual=words,
            )
            return
        actual = chars or 0
        super().__init__(
            f"Kërkimi ka {actual} shenja; shkruani të shumtën {SEARCH_MAX_CHARS}.",
            f"The search has {actual} characters; type at most {SEARCH_MAX_CHARS}.",
            limit=SEARCH_MAX_CHARS,
            actual=actual,
        )


class BodyTooLarge(LimitExceeded, ValueError):
    """An HTTP body (request to a stand-in, answer of a register) is over its limit."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"Trupi i mesazhit është {_size(size)}; lejohen të shumtën {_size(limit)}.",
            f"The message body is {_size(size)}; at most {_size(limit)} is allowed.",
            limit=limit,
            actual=size,
        )


class JsonTooDeep(LimitExceeded, ValueError):
    def __init__(self, limit: int = JSON_MAX_DEPTH) -> None:
        super().__init__(
            f"JSON-i është i mbivendosur më thellë se {limit} nivele.",
            f"The JSON nests deeper than {limit} levels.",
            limit=limit,
            actual=limit + 1,
        )


class MalformedJson(IssuanceError, ValueError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"JSON i pavlefshëm: {detail}", f"Invalid JSON: {detail}")


class TextNotAllowed(IssuanceError, ValueError):
    """A text holds a NUL or a lone surrogate: no database stores either. The text itself is
    not quoted (it may be a name)."""

    def __init__(self) -> None:
        super().__init__(
            "Një tekst përmban shenjën NUL ose një surrogat të vetmuar.",
            "A text holds a NUL character or a lone surrogate.",
        )


# -- text ---------------------------------------------------------------------------------


def _unstorable(ch: str) -> bool:
    # NUL: PostgreSQL refuses it in text. Lone surrogates: no UTF-8 encoder accepts them.
    return ch == "\x00" or "\ud800" <= ch <= "\udfff"


def has_unstorable(text: str) -> bool:
    """Whether ``text`` holds a NUL or a lone surrogate."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")  # refuses exactly the lone surrogates, at C speed
    except UnicodeEncodeError:
        return True
    return False


def without_control(text: str) -> str:
    """``text`` with NUL, lone surrogates and other control characters made spaces."""
    if text.isascii() and text.isprintable():
        return text  # printable ASCII holds none of them (what is typed, mostly)
    return "".join(
        " " if _unstorable(ch) or unicodedata.category(ch) == "Cc" else ch for ch in text
    )


def document_name(filename: str) -> str:
    """An uploaded file's name as it can be stored: control characters, NUL and lone
    surrogates removed, at most ``DOCUMENT_NAME_MAX_CHARS`` characters (never empty)."""
    cleaned = without_control(filename[: DOCUMENT_NAME_MAX_CHARS * 4]).strip()
    cleaned = unicodedata.normalize("NFC", cleaned)[:DOCUMENT_NAME_MAX_CHARS].strip()
    return cleaned or "document.pdf"


# -- files and images -------------------------------------------------------------------------


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, refused (``FileTooLarge``) before reading when over ``limit``.

    Reads at most ``limit + 1`` bytes, so a file that grows, or a device such as
    ``/dev/zero`` whose size says nothing, is refused all the same."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise FileTooLarge(path.name, size, limit)
        # In pieces: read(limit + 1) would allocate the whole limit for a small file.
        chunks, total = [], 0
        while chunk := handle.read(min(max(size + 1, 64 * KIB), limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(path.name, total, limit)
    return b"".join(chunks)


@dataclass(frozen=True)
class ImageHeader:
    format: str
    width: int
    height: int


def image_header(
    data: bytes,
    name: str,
    max_pixels: int,
    formats: Iterable[str] = IMAGE_FORMATS,
    unreadable: Callable[[str], UnreadableImage] = UnreadableImage,
) -> ImageHeader:
    """Format and size of the image in ``data``, read from its header without decoding the
    pixels; raises ``unreadable`` for bytes that are no image of ``formats`` and
    ``ImageTooLarge`` over ``max_pixels`` (or ``IMAGE_MAX_SIDE``)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns (or raises) on sizes we refuse below anyway.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = str(image.format or ""), image.size
    except Image.DecompressionBombError as exc:
        # Over twice Pillow's own limit (~179 megapixels), far over ours.
        raise _bomb(data, name, max_pixels, str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any parser failure on foreign bytes: unreadable
        raise unreadable(name) from exc
    if fmt not in set(formats) or width <= 0 or height <= 0:
        raise unreadable(name)
    if width * height > max_pixels or max(width, height) > IMAGE_MAX_SIDE:
        raise ImageTooLarge(name, width * height, max_pixels, (width, height))
    return ImageHeader(fmt, width, height)


def check_photo_shape(name: str, width: int, height: int) -> None:
    """Refuse (``ImageShapeUnusable``) a photo smaller or narrower than a portrait can be."""
    short, long = min(width, height), max(width, height)
    if short < PHOTO_MIN_SIDE or long > PHOTO_MAX_ASPECT * short:
        raise ImageShapeUnusable(name, width, height)


def _bomb(data: bytes, name: str, max_pixels: int, message: str) -> ImageTooLarge:
    """The refusal of an image Pillow itself called a decompression bomb: its size from a
    PNG's IHDR, else the pixel count Pillow's message gives."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return ImageTooLarge(name, width * height, max_pixels, (width, height))
    found = re.search(r"\((\d+) pixels\)", message)
    return ImageTooLarge(name, int(found.group(1)) if found else max_pixels + 1, max_pixels)


def decode_image(
    data: bytes,
    name: str,
    max_pixels: int,
    flags: int,
    formats: Iterable[str] = IMAGE_FORMATS,
    unreadable: Callable[[str], UnreadableImage] = UnreadableImage,
    check_shape: Callable[[str, int, int], None] | None = None,
) -> Any:
    """OpenCV's decoding of ``data`` (``cv2.imdecode`` with ``flags``) once its header passed
    ``image_header`` (and ``check_shape``, given the name, width and height); a decoder error
    or no result is ``unreadable``."""
    import cv2
    import numpy as np

    header = image_header(data, name, max_pixels, formats, unreadable)
    if check_shape is not None:
        check_shape(name, header.width, header.height)
    try:
        pixels = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    except cv2.error as exc:
        raise unreadable(name) from exc
    if pixels is None or pixels.size == 0:
        raise unreadable(name)
    height, width = pixels.shape[:2]
    if width * height > max_pixels or max(width, height) > IMAGE_MAX_SIDE:
        # The decoder saw another size than the header said (never trusted blindly).
        raise ImageTooLarge(name, width * height, max_pixels, (width, height))
    if check_shape is not None:
        check_shape(name, width, height)
    return pixels


# -- JSON bodies --------------------------------------------------------------------------------


def parse_json(
    raw: bytes, limit: int, max_depth: int = JSON_MAX_DEPTH, *, storable: bool = True
) -> Any:
    """The JSON value of an HTTP body: ``BodyTooLarge`` over ``limit`` bytes (checked first),
    ``JsonTooDeep`` when arrays and objects nest deeper than ``max_depth``,
    ``MalformedJson`` for anything that is not JSON (bad UTF-8, NaN, trailing data ...) and,
    with ``storable``, ``TextNotAllowed`` for a NUL or a lone surrogate in any text."""
    if len(raw) > limit:
        raise BodyTooLarge(len(raw), limit)
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        # Deeper than the interpreter's own recursion limit: far over ours.
        raise JsonTooDeep(max_depth) from None
    except (ValueError, TypeError) as exc:
        raise MalformedJson(" ".join(str(exc).split())[:200]) from None
    if not _plainly_within(raw, max_depth, storable):
        check_tree(value, max_depth, storable=storable)
    return value


# A lone surrogate as UTF-8 would encode it (which json.loads decodes with "surrogatepass").
_UTF8_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")


def _plainly_within(raw: bytes, max_depth: int, storable: bool) -> bool:
    """Whether the bytes alone show the parsed value within ``check_tree``'s limits, so the
    walk over every value (a tenth of a millisecond for a register's answer) is not needed:
    UTF-8 (no NUL byte, no UTF-16/32 byte-order mark), fewer brackets than the depth allowed
    and, for ``storable``, no ``\\u`` escape (the only way to write a NUL in JSON) and no
    UTF-8-encoded surrogate. Anything else is walked."""
    if not isinstance(raw, bytes) or b"\x00" in raw or raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        return False
    if raw.count(b"[") + raw.count(b"{") > max_depth:
        return False
    return not storable or (b"\\u" not in raw and _UTF8_SURROGATE.search(raw) is None)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def check_tree(value: Any, max_depth: int = JSON_MAX_DEPTH, *, storable: bool = True) -> None:
    """Refuse a parsed JSON value that nests deeper than ``max_depth`` or, with ``storable``,
    holds a text (key or value) with a NUL or a lone surrogate. Iterative: no depth can
    exhaust the stack."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if storable and has_unstorable(item):
                raise TextNotAllowed()
            continue
        if isinstance(item, dict):
            children: Iterable[Any] = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth + 1 > max_depth:
            raise JsonTooDeep(max_depth)
        stack.extend((child, depth + 1) for child in children)
