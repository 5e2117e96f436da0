"""The ICAO portrait cut from a camera frame, and its JPEG encodings for archive and chip."""

from __future__ import annotations

import cv2
import numpy as np

from issuance.biometrics.photo.errors import ChipImageTooLarge, NoFaceForPortrait
from issuance.biometrics.photo.face_finder import FaceGeometry
from issuance.biometrics.photo.thresholds import PortraitLayout

ARCHIVE_JPEG_QUALITY = 95
_CHIP_START_QUALITY = 90
_CHIP_MIN_QUALITY = 20
_CHIP_QUALITY_STEP = 5
_CHIP_SHRINK = 0.85
_CHIP_MIN_HEIGHT = 120


def portrait_crop(
    frame: np.ndarray, geometry: FaceGeometry | None, layout: PortraitLayout | None = None
) -> np.ndarray:
    """The 35:45 portrait with the head ``layout.head_height_ratio`` of the height and the
    eye line ``layout.eye_line_from_top`` down, scaled to ``layout.archive_height``.

    Where the crop reaches past the frame, the frame's edge is repeated (the backdrop is plain
    when the checks pass, so this only ever adds a few rows of backdrop)."""
    if geometry is None:
        raise NoFaceForPortrait()
    layout = layout or PortraitLayout()
    crop_h = geometry.head_height / layout.head_height_ratio
    crop_w = crop_h * layout.aspect_width / layout.aspect_height
    top = geometry.eye_line_y - layout.eye_line_from_top * crop_h
    left = geometry.centre_x - crop_w / 2
    out_h = layout.archive_height
    out_w = round(out_h * layout.aspect_width / layout.aspect_height)
    # One affine warp does crop, padding and scaling together.
    scale = out_h / crop_h
    matrix = np.array([[scale, 0, -left * scale], [0, scale, -top * scale]], dtype=np.float32)
    method = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.warpAffine(
        frame, matrix, (out_w, out_h), flags=method, borderMode=cv2.BORDER_REPLICATE
    )


def encode_jpeg(image: np.ndarray, quality: int = ARCHIVE_JPEG_QUALITY) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return data.tobytes()


def chip_jpeg(portrait: np.ndarray, layout: PortraitLayout | None = None) -> bytes:
    """The portrait for the chip's EF.DG2: at most ``layout.chip_max_bytes``.

    The quality is lowered step by step first (keeping resolution matters more for face
    matching); only when the lowest quality is still too big is the image made smaller."""
    layout = layout or PortraitLayout()
    image = _resize_to_height(portrait, layout.chip_height)
    while image.shape[0] >= _CHIP_MIN_HEIGHT:
        for quality in range(_CHIP_START_QUALITY, _CHIP_MIN_QUALITY - 1, -_CHIP_QUALITY_STEP):
            data = encode_jpeg(image, quality)
            if len(data) < layout.chip_max_bytes:
                return data
        image = _resize_to_height(image, int(image.shape[0] * _CHIP_SHRINK))
    raise ChipImageTooLarge(layout.chip_max_bytes)


def _resize_to_height(image: np.ndarray, height: int) -> np.ndarray:
    if image.shape[0] <= height:
        return image
    width = max(1, round(image.shape[1] * height / image.shape[0]))
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
