"""Checking and placing the photo and signature images."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

from issuance.documents.errors import InvalidImage, MissingPhoto


def _open(data: bytes, expected: str, what_sq: str, what_en: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise InvalidImage(what_sq, what_en, expected) from exc
    if image.format != expected or image.width < 1 or image.height < 1:
        raise InvalidImage(what_sq, what_en, expected)
    return image


def photo_reader(photo_jpeg: bytes | None) -> ImageReader:
    """The applicant's photo, refused when missing or not a readable JPEG."""
    if not photo_jpeg:
        raise MissingPhoto()
    image = _open(photo_jpeg, "JPEG", "Fotografia", "photo")
    if image.mode in ("RGB", "L"):
        # Handing over the file itself keeps the JPEG as it is in the PDF (no re-encoding).
        return ImageReader(io.BytesIO(photo_jpeg))
    return ImageReader(image.convert("RGB"))


def signature_reader(signature_png: bytes) -> ImageReader:
    """The holder's signature, kept with its transparency."""
    image = _open(signature_png, "PNG", "Nënshkrimi", "signature")
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    return ImageReader(image)


def contain(box_w: float, box_h: float, img_w: float, img_h: float) -> tuple[float, float]:
    """The largest size with the image's aspect ratio that fits in the box."""
    scale = min(box_w / img_w, box_h / img_h)
    return img_w * scale, img_h * scale
