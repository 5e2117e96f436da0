"""Encoding and decoding of fingerprint images (greyscale, 500 ppi, lossless PNG)."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np

from issuance.errors import IssuanceError
from issuance.ports import limits

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_JP2_MAGIC = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K_MAGIC = b"\xff\x4f\xff\x51"
_WSQ_MAGIC = b"\xff\xa0\xff\xa8"


class UnsupportedImage(limits.UnreadableImage):
    """The biometric value holds no image format we can decode (WSQ, say), or its decoder
    failed on it. A ``ValueError`` too, as the SBI client expects."""

    def __init__(self, detail_en: str, detail_sq: str = "") -> None:
        IssuanceError.__init__(
            self,
            f"Imazhi i gjurmës së gishtit nuk lexohet: {detail_sq or detail_en}.",
            f"The fingerprint image cannot be read: {detail_en}.",
        )
        self.name = "bioValue"


# What ``decode_greyscale`` reads: the formats SBI devices embed.
_FORMATS = frozenset({"PNG", "JPEG", "JPEG2000"})


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


def decode_greyscale(data: bytes) -> np.ndarray:
    """Greyscale pixels of an SBI ``bioValue``.

    Certified devices wrap the image in an ISO/IEC 19794-4 record, whose headers we skip by
    finding the embedded PNG, JPEG or JPEG 2000 stream; a bare image (as the simulator
    sends) is found the same way. WSQ is refused: OpenCV has no WSQ codec.

    The value's size and the image's pixel count (from its header, before decoding) are held
    to ``issuance.ports.limits``: ``BodyTooLarge`` / ``ImageTooLarge``; any decoder failure is
    ``UnsupportedImage``. All three are ``ValueError``s.
    """
    if len(data) > limits.FINGERPRINT_MAX_BYTES:
        raise limits.BodyTooLarge(len(data), limits.FINGERPRINT_MAX_BYTES)
    start = _image_start(data)
    if start is None:
        if _WSQ_MAGIC in data[:4096]:
            raise UnsupportedImage(
                "WSQ-compressed fingerprints are not supported", "WSQ nuk mbështetet"
            )
        raise UnsupportedImage(
            "no PNG, JPEG or JPEG 2000 image in the biometric value",
            "vlera biometrike nuk ka imazh PNG, JPEG ose JPEG 2000",
        )
    return limits.decode_image(
        data[start:], "bioValue", limits.FINGERPRINT_MAX_PIXELS, cv2.IMREAD_GRAYSCALE,
        formats=_FORMATS, unreadable=_undecodable,
    )  # fmt: skip


def _undecodable(_name: str) -> UnsupportedImage:
    return UnsupportedImage(
        "the embedded image could not be decoded", "imazhi i brendshëm nuk u dekodua"
    )


def _image_start(data: bytes) -> int | None:
    found = [i for i in (data.find(m) for m in (PNG_MAGIC, _JP2_MAGIC, _J2K_MAGIC, _JPEG_MAGIC))]
    found = [i for i in found if i >= 0]
    return min(found) if found else None


def _chunks(png: bytes) -> list[bytes]:
    if not png.startswith(PNG_MAGIC):
        raise ValueError("not a PNG")
    chunks, pos = [], len(PNG_MAGIC)
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        chunks.append(png[pos : pos + 12 + length])
        pos += 12 + length
    return chunks
