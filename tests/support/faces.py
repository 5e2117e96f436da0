"""A small portrait-shaped JPEG for the chip tests (the photo step stores one as 'face_chip')."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

FACE_SIZE = (240, 320)


def make_face_jpeg(size: tuple[int, int] = FACE_SIZE) -> bytes:
    """A small portrait-shaped JPEG: light background, a head and shoulders."""
    image = Image.new("RGB", size, (232, 232, 228))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.28, h * 0.18, w * 0.72, h * 0.66), fill=(214, 170, 140))
    draw.ellipse((w * 0.38, h * 0.36, w * 0.44, h * 0.40), fill=(60, 40, 30))
    draw.ellipse((w * 0.56, h * 0.36, w * 0.62, h * 0.40), fill=(60, 40, 30))
    draw.rectangle((w * 0.15, h * 0.75, w * 0.85, h), fill=(40, 60, 110))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
