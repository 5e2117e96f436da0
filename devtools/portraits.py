"""Realistic portraits composed from real photographs shipped in wheels, for the tests and
the demo's file camera (needs scikit-image, which the test extra installs).

skimage's ``astronaut`` is a studio portrait against a cluttered backdrop (flag, shuttle).
We cut the person out with a soft mask drawn around hand-measured landmarks and put them on a
plain light backdrop, which gives an ICAO-like portrait; the original backdrop, or another
photograph, gives the cluttered variant.
"""

from __future__ import annotations

import cv2
import numpy as np

# Landmarks measured by hand on skimage.data.astronaut() (512×512).
EYES_Y = 102
FACE_X = 225
CROWN_Y = 15
CHIN_Y = 183
HEAD_HEIGHT = CHIN_Y - CROWN_Y
BACKDROP = (222, 224, 226)  # light grey, BGR


def astronaut() -> np.ndarray:
    import skimage.data  # only the tests and the demo use sample portraits

    return cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)


def person_mask() -> np.ndarray:
    """Soft 0..1 mask of the head, hair, neck and collar in the astronaut photo."""
    mask = np.zeros((512, 512), np.float32)
    cv2.ellipse(mask, (FACE_X, 100), (76, 90), 0, 0, 360, 1.0, thickness=-1)
    cv2.rectangle(mask, (150, 150), (305, 511), 1.0, thickness=-1)
    return cv2.GaussianBlur(mask, (0, 0), 3)[..., None]


def on_backdrop(backdrop: np.ndarray | None = None) -> np.ndarray:
    """The astronaut cut out and put on ``backdrop`` (512×512 BGR) or plain light grey."""
    person = astronaut().astype(np.float32)
    if backdrop is None:
        back = np.empty_like(person)
        back[:] = BACKDROP
    else:
        back = cv2.resize(backdrop, (512, 512)).astype(np.float32)
    mask = person_mask()
    return (person * mask + back * (1 - mask)).astype(np.uint8)


def place(
    source: np.ndarray,
    size: tuple[int, int],
    head_ratio: float,
    centre_x: float = 0.5,
    eyes_from_top: float = 0.45,
    fill: tuple[int, int, int] = BACKDROP,
) -> np.ndarray:
    """A (width, height) image with the astronaut's head ``head_ratio`` of the height high,
    the face's centre at ``centre_x`` of the width and the eyes ``eyes_from_top`` down."""
    width, height = size
    scale = head_ratio * height / HEAD_HEIGHT
    shift_x = centre_x * width - FACE_X * scale
    shift_y = eyes_from_top * height - EYES_Y * scale
    matrix = np.array([[scale, 0, shift_x], [0, scale, shift_y]], dtype=np.float32)
    return cv2.warpAffine(
        source,
        matrix,
        (width, height),
        flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )


def good_portrait() -> np.ndarray:
    """An ICAO-like 35:45 portrait, 420×540, head 75 % high, eyes 45 % from the top."""
    return place(on_backdrop(), (420, 540), 0.75)


def camera_frame(head_ratio: float = 0.7, centre_x: float = 0.5) -> np.ndarray:
    """A 640×480 frame as the desk camera would see a well-placed applicant."""
    return place(on_backdrop(), (640, 480), head_ratio, centre_x=centre_x, eyes_from_top=0.42)


def write_demo_frames(folder: str, count: int = 30) -> str:
    """A short clip for the demo's ``file:`` camera: the applicant steps into place.

    Returns the camera spec that plays it.
    """
    from pathlib import Path

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        # First frames too far and off-centre, then in place (so the frame turns green).
        settle = min(1.0, i / (count / 2))
        frame = camera_frame(head_ratio=0.45 + 0.25 * settle, centre_x=0.35 + 0.15 * settle)
        cv2.imwrite(str(target / f"frame_{i:03d}.png"), frame)
    return f"file:{target / 'frame_%03d.png'}"
