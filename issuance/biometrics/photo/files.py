"""A portrait read from a file (an upload, ``issuance photo check``), bounded before decoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from issuance.biometrics.photo.errors import UnreadablePhoto


def read_image(path: Path) -> np.ndarray:
    """The photo in ``path`` as BGR pixels. The file's size is checked before it is read and
    the pixel count in its header before it is decoded (``issuance.ports.limits``): raises
    ``FileTooLarge``, ``ImageTooLarge`` or ``ImageShapeUnusable`` (too small or narrow for a
    portrait), and ``UnreadablePhoto`` for a missing file, bytes that are no image, or any
    decoder failure."""
    import cv2

    from issuance.ports import limits

    # imdecode over the bytes: cv2.imread cannot open non-ASCII paths on every platform.
    try:
        data = limits.read_file(path, limits.PHOTO_MAX_BYTES)
    except OSError as error:
        raise UnreadablePhoto(path.name) from error
    return limits.decode_image(
        data, path.name, limits.PHOTO_MAX_PIXELS, cv2.IMREAD_COLOR,
        unreadable=UnreadablePhoto, check_shape=limits.check_photo_shape,
    )  # fmt: skip
