"""Fingerprint images: greyscale 500 ppi pixels in and out of ISO/IEC 19794-4 records.

The record's structure is ``iso19794_4``'s; here its image data are encoded and decoded:
PNG, JPEG and JPEG 2000 through OpenCV, WSQ through NBIS (the ``wsq`` Pillow plugin),
uncompressed 8-bit rows directly.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib
from datetime import datetime

import cv2
import numpy as np

from issuance.errors import IssuanceError
from issuance.ports import limits
from issuance.ports.fingerprint_model import Finger
from issuance.ports.iso19794_4 import (
    Compression,
    FingerRepresentation,
    ImageDoesNotMatchRecord,
    UnsupportedCompression,
    enrolment_representation,
    finger_record,
    parse,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_WSQ_MAGIC = b"\xff\xa0\xff\xa8"


class UnsupportedImage(limits.UnreadableImage):
    """The record's image data are not of the format its header declares, or their decoder
    failed on them. A ``ValueError`` too, as the SBI client expects."""

    def __init__(self, detail_en: str, detail_sq: str = "") -> None:
        IssuanceError.__init__(
            self,
            f"Imazhi i gjurmës së gishtit nuk lexohet: {detail_sq or detail_en}.",
            f"The fingerprint image cannot be read: {detail_en}.",
        )
        self.name = "bioValue"


def png_bytes(image: np.ndarray, ppi: int = 500) -> bytes:
    """Lossless greyscale PNG carrying its resolution in a ``pHYs`` chunk."""
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError("a fingerprint image is 8-bit greyscale")
    ok, encoded = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise ValueError("PNG encoding failed")
    return with_ppi(encoded.tobytes(), ppi)


def with_ppi(png: bytes, ppi: int) -> bytes:
    """Insert (or replace) the PNG ``pHYs`` chunk so viewers and AFIS read the resolution."""
    per_metre = round(ppi / 0.0254)
    body = struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", len(body)) + b"pHYs" + body
    chunk += struct.pack(">I", zlib.crc32(b"pHYs" + body) & 0xFFFFFFFF)
    chunks = [c for c in _chunks(png) if c[4:8] != b"pHYs"]
    # pHYs must come before the image data; right after IHDR is always valid.
    return PNG_MAGIC + chunks[0] + chunk + b"".join(chunks[1:])


def png_ppi(png: bytes) -> int | None:
    """Resolution stored in a PNG's ``pHYs`` chunk, in pixels per inch."""
    for chunk in _chunks(png):
        if chunk[4:8] == b"pHYs":
            x_per_metre, _, unit = struct.unpack(">IIB", chunk[8:17])
            return round(x_per_metre * 0.0254) if unit == 1 else None
    return None


def encode_image(image: np.ndarray, compression: Compression) -> bytes:
    """``image`` (8-bit greyscale) compressed as a 19794-4 record's image data."""
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError("a fingerprint image is 8-bit greyscale")
    if compression is Compression.PNG:
        return png_bytes(image)
    if compression is Compression.UNCOMPRESSED:
        return image.tobytes()
    if compression is Compression.WSQ:
        import wsq  # type: ignore[import-untyped]  # noqa: F401 - registers NBIS with Pillow
        from PIL import Image

        out = io.BytesIO()
        Image.fromarray(image).save(out, "WSQ")
        return out.getvalue()
    if compression is not Compression.JPEG:
        raise ValueError(f"{compression.name} is read, not written, by this desk")
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 95])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return encoded.tobytes()


def finger_template(
    finger: Finger,
    image: np.ndarray,
    quality: float | None = None,
    compression: Compression = Compression.PNG,
    captured_at: datetime | None = None,
) -> bytes:
    """The ISO/IEC 19794-4:2011 record of one finger: what the desk stores as its template."""
    height, width = image.shape
    score = None if quality is None else round(quality)
    data = encode_image(image, compression)
    return finger_record(finger, data, compression, width, height, score, captured_at)


def read_record(data: bytes, finger: Finger | None) -> tuple[FingerRepresentation, np.ndarray]:
    """The one finger of the SBI ``bioValue`` ``data`` and its pixels, checked for enrolment.

    ``data`` must be an ISO/IEC 19794-4:2011 record (``iso19794_4.parse``) of ``finger``
    (None: the device named no finger) at 500 ppi (``enrolment_representation``), whose
    image decodes to the size its header gives. Refusals: ``RecordError`` for the record,
    ``BodyTooLarge`` / ``ImageTooLarge`` / ``UnsupportedImage`` for the image; all are
    ``ValueError``s.
    """
    if len(data) > limits.FINGERPRINT_MAX_BYTES:
        raise limits.BodyTooLarge(len(data), limits.FINGERPRINT_MAX_BYTES)
    representation = enrolment_representation(parse(data), finger)
    return representation, record_pixels(representation)


def record_pixels(rep: FingerRepresentation) -> np.ndarray:
    """Greyscale pixels of a representation, decoded by its declared compression only."""
    pixels = rep.width * rep.height
    if pixels > limits.FINGERPRINT_MAX_PIXELS or max(rep.width, rep.height) > limits.IMAGE_MAX_SIDE:
        raise limits.ImageTooLarge(
            "bioValue", pixels, limits.FINGERPRINT_MAX_PIXELS, (rep.width, rep.height)
        )
    if rep.compression is Compression.UNCOMPRESSED:
        if len(rep.image) != pixels:
            raise ImageDoesNotMatchRecord(
                f"{len(rep.image)} bajte për {rep.width} × {rep.height} piksel",
                f"{len(rep.image)} bytes for {rep.width} × {rep.height} pixels",
            )
        image = np.frombuffer(rep.image, np.uint8).reshape(rep.height, rep.width).copy()
    elif rep.compression is Compression.WSQ:
        image = _wsq_pixels(rep.image)
    elif rep.compression in _CODEC_FORMATS:
        image = limits.decode_image(
            rep.image, "bioValue", limits.FINGERPRINT_MAX_PIXELS, cv2.IMREAD_GRAYSCALE,
            formats={_CODEC_FORMATS[rep.compression]}, unreadable=_undecodable,
        )  # fmt: skip
    else:
        raise UnsupportedCompression(rep.compression.name, "nuk lexohet", "it cannot be read")
    if image.shape != (rep.height, rep.width):
        raise ImageDoesNotMatchRecord(
            f"imazhi është {image.shape[1]} × {image.shape[0]}, koka thotë "
            f"{rep.width} × {rep.height}",
            f"the image is {image.shape[1]} × {image.shape[0]}, the header says "
            f"{rep.width} × {rep.height}",
        )
    return image


def template_png(template: bytes) -> bytes:
    """A stored template (a 19794-4 record) as a 500 ppi PNG, for the screens to show."""
    representation = enrolment_representation(parse(template), None)
    return png_bytes(record_pixels(representation))


_CODEC_FORMATS = {
    Compression.JPEG: "JPEG",
    Compression.JPEG2000_LOSSY: "JPEG2000",
    Compression.JPEG2000_LOSSLESS: "JPEG2000",
    Compression.PNG: "PNG",
}


# NBIS's WSQ decoder is C that crashes the process on some damaged streams (found by
# fuzzing: a few changed bytes segfault it), so it runs in a child Python that only imports
# Pillow and the plugin; the child writes width, height and the pixels to its stdout.
_WSQ_CHILD = """
import io, struct, sys
from PIL import Image
import wsq
limit = int(sys.argv[1])
with Image.open(io.BytesIO(sys.stdin.buffer.read()), formats=["WSQ"]) as image:
    if image.size[0] * image.size[1] > limit:
        sys.exit(3)
    pixels = image.convert("L").tobytes()
    sys.stdout.buffer.write(struct.pack(">II", *image.size) + pixels)
"""
WSQ_TIMEOUT_S = 10.0


def _wsq_pixels(data: bytes) -> np.ndarray:
    """WSQ through NBIS (the ``wsq`` Pillow plugin, by IDEMIA), in a child process."""
    if not data.startswith(_WSQ_MAGIC):
        raise _undecodable("bioValue")
    command = [sys.executable, "-I", "-c", _WSQ_CHILD, str(limits.FINGERPRINT_MAX_PIXELS)]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
            command, input=data, capture_output=True, timeout=WSQ_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _undecodable("bioValue") from exc
    out = done.stdout
    if done.returncode != 0 or len(out) < 8:
        raise _undecodable("bioValue")
    width, height = struct.unpack(">II", out[:8])
    if len(out) != 8 + width * height:
        raise _undecodable("bioValue")
    return np.frombuffer(out, np.uint8, offset=8).reshape(height, width).copy()


def _undecodable(_name: str) -> UnsupportedImage:
    return UnsupportedImage(
        "the embedded image could not be decoded", "imazhi i brendshëm nuk u dekodua"
    )


def _chunks(png: bytes) -> list[bytes]:
    if not png.startswith(PNG_MAGIC):
        raise ValueError("not a PNG")
    chunks, pos = [], len(PNG_MAGIC)
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        chunks.append(png[pos : pos + 12 + length])
        pos += 12 + length
    return chunks
