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


# One look per demo resident: skin tone (BGR gains), hair shade, face width, backdrop shade.
# Variant 0 is the astronaut as photographed; the others change her deterministically.
_LOOKS: tuple[tuple[tuple[float, float, float], float, float, int], ...] = (
    ((1.00, 1.00, 1.00), 1.00, 1.00, 0),
    ((0.78, 0.84, 0.95), 0.45, 0.93, -6),
    ((1.08, 1.05, 0.98), 1.55, 0.97, 4),
    ((0.62, 0.70, 0.82), 0.30, 0.95, -10),
    ((1.04, 0.98, 0.90), 1.30, 0.90, 8),
    ((0.86, 0.92, 1.04), 0.65, 0.98, -3),
)
LOOKS = len(_LOOKS)


def hair_mask() -> np.ndarray:
    """Soft 0..1 mask of the astronaut's hair: hair-coloured pixels of the head, outside the
    face oval."""
    hsv = cv2.cvtColor(astronaut(), cv2.COLOR_BGR2HSV)
    hue, sat = hsv[..., 0], hsv[..., 1]
    coloured = ((hue >= 8) & (hue <= 35) & (sat >= 50)).astype(np.float32)
    head = np.zeros((512, 512), np.float32)
    cv2.ellipse(head, (FACE_X, 95), (80, 95), 0, 0, 360, 1.0, thickness=-1)
    head[150:] = 0
    cv2.ellipse(head, (FACE_X, 128), (52, 58), 0, 0, 360, 0.0, thickness=-1)
    return cv2.GaussianBlur(coloured * head, (0, 0), 2)[..., None]


def _look(variant: int) -> np.ndarray:
    """The astronaut on a plain backdrop (512×512) changed as look ``variant`` says."""
    gains, hair, width, backdrop_shift = _LOOKS[variant % LOOKS]
    person = astronaut().astype(np.float32)
    # Skin and clothes: a per-channel gain on the person; hair darker or lighter.
    person *= np.array(gains, np.float32)
    shade = hair_mask()
    person = person * (1 - shade) + np.clip(person * hair, 0, 255) * shade
    back = np.empty_like(person)
    back[:] = np.clip(np.array(BACKDROP, np.float32) + backdrop_shift, 0, 255)
    mask = person_mask()
    image = person * mask + back * (1 - mask)
    # Face shape: narrower about the face's centre line.
    matrix = np.array([[width, 0, FACE_X * (1 - width)], [0, 1, 0]], dtype=np.float32)
    fill = tuple(float(v) for v in back[0, 0])
    image = cv2.warpAffine(image, matrix, (512, 512), borderMode=cv2.BORDER_CONSTANT,
                           borderValue=fill)  # fmt: skip
    return np.clip(image, 0, 255).astype(np.uint8)


def resident_portrait(variant: int) -> np.ndarray:
    """A demo resident's own ICAO-like portrait (as ``good_portrait``): the same ``variant``
    always gives the same face, different variants (modulo ``LOOKS``) different faces."""
    source = _look(variant)
    fill = tuple(int(v) for v in source[0, 0])
    return place(source, (420, 540), 0.75, fill=(fill[0], fill[1], fill[2]))
