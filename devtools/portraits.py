"""Realistic portraits composed from real photographs shipped in wheels, for the tests and
the demo's file camera (needs scikit-image, which the test extra installs).

skimage's ``astronaut`` is a studio portrait against a cluttered backdrop (flag, shuttle).
We cut the person out with a soft mask drawn around hand-measured landmarks and put them on a
plain light backdrop, which gives an ICAO-like portrait; the original backdrop, or another
photograph, gives the cluttered variant.

As photographed she smiles broadly with her mouth open, which a passport photo must not do:
``astronaut()`` is her with a neutral expression (the lips closed and the corners of the mouth
lowered by moving dlib's landmarks of her mouth and warping the picture after them), and
``smiling_astronaut()`` is the photograph as it is, the made-worse "smile" portrait.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

# Landmarks measured by hand on skimage.data.astronaut() (512×512).
EYES_Y = 102
FACE_X = 225
CROWN_Y = 15
CHIN_Y = 183
HEAD_HEIGHT = CHIN_Y - CROWN_Y
BACKDROP = (222, 224, 226)  # light grey, BGR


# dlib's 68 landmarks (iBUG mark-up) on skimage.data.astronaut(), (x, y), as its
# shape_predictor_68_face_landmarks places them in the box its HOG detector finds.
ASTRONAUT_LANDMARKS = np.array(
    [
        (179, 104), (180, 116), (181, 127), (182, 139), (185, 150), (191, 160), (200, 168),
        (209, 176), (220, 178), (232, 177), (243, 171), (253, 163), (260, 154), (265, 143),
        (268, 131), (270, 120), (272, 108), (186, 94), (192, 88), (200, 87), (208, 89),
        (216, 92), (236, 93), (244, 91), (252, 91), (260, 92), (265, 99), (226, 102),
        (225, 111), (225, 119), (225, 127), (214, 131), (219, 133), (224, 134), (229, 133),
        (234, 132), (195, 101), (200, 98), (207, 98), (212, 104), (206, 104), (199, 104),
        (237, 106), (243, 100), (250, 100), (255, 105), (250, 107), (244, 107), (201, 139),
        (209, 139), (218, 139), (224, 141), (230, 140), (238, 140), (246, 141), (238, 151),
        (229, 155), (222, 156), (216, 155), (208, 150), (204, 141), (218, 143), (223, 144),
        (230, 143), (243, 142), (229, 150), (223, 151), (217, 150),
    ],
    dtype=np.float32,
)  # fmt: skip


def smiling_astronaut() -> np.ndarray:
    """The photograph as it is: a broad smile with the mouth open (512×512 BGR)."""
    import skimage.data  # only the tests and the demo use sample portraits

    return cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)


def astronaut() -> np.ndarray:
    """The astronaut with a neutral expression: lips closed, mouth corners level."""
    return _neutral_astronaut().copy()


@lru_cache(maxsize=1)
def _neutral_astronaut() -> np.ndarray:
    # The teeth are painted over with the lips' colour first, so none shows along the seam
    # once the lips meet; the seam is then drawn as the thin shadow closed lips make.
    image = smiling_astronaut()
    inside = np.zeros(image.shape[:2], np.uint8)
    cv2.fillPoly(inside, [np.round(ASTRONAUT_LANDMARKS[60:68]).astype(np.int32)], 255)
    mouth = cv2.dilate(inside, np.ones((5, 5), np.uint8))
    closed = warp_landmarks(cv2.inpaint(image, mouth, 3, cv2.INPAINT_TELEA),
                            ASTRONAUT_LANDMARKS, neutral_mouth())  # fmt: skip
    line = np.zeros(image.shape[:2], np.float32)
    seam_points = neutral_mouth()[[48, 60, 61, 62, 63, 64, 54]]
    cv2.polylines(line, [np.round(seam_points * 4).astype(np.int32)], False, 1.0, 1,
                  cv2.LINE_AA, 2)  # fmt: skip
    seam = cv2.GaussianBlur(line, (0, 0), 0.7)[..., None]
    return np.clip(closed * (1 - 0.35 * seam), 0, 255).astype(np.uint8)


def neutral_mouth(points: np.ndarray = ASTRONAUT_LANDMARKS) -> np.ndarray:
    """The landmarks with the mouth closed and the smile taken out.

    The lower lip rises onto the upper one (its inner edge onto the upper lip's inner edge,
    its outer edge by the same gap, the chin by part of it); the corners come down to the
    level of the upper lip's inner edge and in, to a mouth about as wide as a neutral one
    (0.86 of the distance between the eyes' centres)."""
    target = points.copy()
    gaps = points[[67, 66, 65], 1] - points[[61, 62, 63], 1]
    target[[67, 66, 65], 1] = points[[61, 62, 63], 1]
    target[[59, 58, 57, 56, 55], 1] -= (gaps[0] * 0.7, gaps[0], gaps[1], gaps[2], gaps[2] * 0.7)
    target[[6, 7, 8, 9, 10], 1] -= 0.5 * gaps[1]
    eyes = points[36:42].mean(axis=0), points[42:48].mean(axis=0)
    inwards = (points[54, 0] - points[48, 0] - 0.80 * (eyes[1][0] - eyes[0][0])) / 2
    level = points[62, 1] + 4.0
    for corner, inner, upper, side in ((48, 60, 49, 1.0), (54, 64, 53, -1.0)):
        target[[corner, inner], 0] += side * inwards
        target[[corner, inner], 1] = level
        target[upper, 0] += side * inwards / 2
        target[upper, 1] += (level - points[corner, 1]) / 2
    return target


def warp_landmarks(image: np.ndarray, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """``image`` with the points ``source`` moved to ``target``, the picture between them
    following triangle by triangle (the frame's edges stay where they are)."""
    from scipy.spatial import Delaunay  # type: ignore[import-untyped]

    height, width = image.shape[:2]
    edge = np.array(
        [(0, 0), (width - 1, 0), (width - 1, height - 1), (0, height - 1),
         (width / 2, 0), (width - 1, height / 2), (width / 2, height - 1), (0, height / 2)],
        dtype=np.float32,
    )  # fmt: skip
    src = np.vstack([source, edge]).astype(np.float32)
    dst = np.vstack([target, edge]).astype(np.float32)
    out = image.copy()
    for triangle in Delaunay(src).simplices:
        _warp_triangle(image, out, src[triangle], dst[triangle])
    return out


def _warp_triangle(image: np.ndarray, out: np.ndarray, src: np.ndarray, dst: np.ndarray) -> None:
    x0, y0 = np.floor(dst.min(axis=0)).astype(int)
    x1, y1 = np.ceil(dst.max(axis=0)).astype(int) + 1
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(out.shape[1], x1), min(out.shape[0], y1)
    (ax, ay), (bx, by) = dst[1] - dst[0], dst[2] - dst[0]
    area = abs(float(ax * by - ay * bx))
    if x1 <= x0 or y1 <= y0 or area < 1e-3:
        return
    local = (dst - (x0, y0)).astype(np.float32)
    matrix = cv2.getAffineTransform(local, src.astype(np.float32))
    patch = cv2.warpAffine(
        image, matrix, (x1 - x0, y1 - y0),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REFLECT,
    )  # fmt: skip
    # Each triangle with its edges, so that no pixel between two triangles is left out.
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    corners = np.round(local).astype(np.int32)
    cv2.fillConvexPoly(mask, corners, 1)
    cv2.polylines(mask, [corners], True, 1, 1)
    region = out[y0:y1, x0:x1]
    region[mask > 0] = patch[mask > 0]


def person_mask() -> np.ndarray:
    """Soft 0..1 mask of the head, hair, neck and collar in the astronaut photo."""
    mask = np.zeros((512, 512), np.float32)
    cv2.ellipse(mask, (FACE_X, 100), (76, 90), 0, 0, 360, 1.0, thickness=-1)
    cv2.rectangle(mask, (150, 150), (305, 511), 1.0, thickness=-1)
    return cv2.GaussianBlur(mask, (0, 0), 3)[..., None]


def on_backdrop(backdrop: np.ndarray | None = None, person: np.ndarray | None = None) -> np.ndarray:
    """The astronaut (or ``person``, a changed 512×512 astronaut) cut out and put on
    ``backdrop`` (512×512 BGR) or plain light grey."""
    person = (astronaut() if person is None else person).astype(np.float32)
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
