"""Made-worse portraits: the neutral astronaut with one thing wrong that a border officer would
refuse, each changed where dlib's landmarks say the feature is (``ASTRONAUT_LANDMARKS``) and then
composed like ``good_portrait`` (420×540, head 75 % high)."""

from __future__ import annotations

import cv2
import numpy as np

from devtools.portraits import (
    ASTRONAUT_LANDMARKS,
    astronaut,
    neutral_mouth,
    on_backdrop,
    place,
    smiling_astronaut,
    warp_landmarks,
)

MARKS = ASTRONAUT_LANDMARKS
EYES = (slice(36, 42), slice(42, 48))


def portrait(person: np.ndarray) -> np.ndarray:
    return place(on_backdrop(person=person), (420, 540), 0.75)


def smiling() -> np.ndarray:
    """The photograph as taken: a broad smile, mouth open."""
    return portrait(smiling_astronaut())


def mouth_open() -> np.ndarray:
    """No smile (the corners lowered and in, as in the neutral face) but the lips apart."""
    target = neutral_mouth()
    apart = list(range(55, 60)) + [65, 66, 67] + list(range(5, 12))
    target[apart] = MARKS[apart]
    return portrait(warp_landmarks(smiling_astronaut(), MARKS, target))


def eyes_closed() -> np.ndarray:
    """Both eyelids shut: each eye opening painted over with the lid's skin, the lashes a dark
    line along the lower edge."""
    image = astronaut()
    for eye in EYES:
        points = MARKS[eye]
        width = float(points[3, 0] - points[0, 0])
        mask = np.zeros(image.shape[:2], np.uint8)
        cv2.fillConvexPoly(mask, np.round(points).astype(np.int32), 255)
        mask = cv2.dilate(mask, np.ones((5, 5), np.uint8))
        lid = points[1:3].mean(axis=0) - (0, 0.28 * width)
        skin = image[int(lid[1]) - 1 : int(lid[1]) + 2, int(lid[0]) - 2 : int(lid[0]) + 3]
        colour = skin.reshape(-1, 3).mean(axis=0)
        soft = cv2.GaussianBlur(mask.astype(np.float32) / 255, (0, 0), 1.0)[..., None]
        image = (image * (1 - soft) + colour * soft).astype(np.uint8)
        # Lashes along the lower edge, the lid's crease as a faint shadow above it.
        lashes = np.round((points[[0, 5, 4, 3]] + (0, 0.5)) * 4).astype(np.int32)
        cv2.polylines(image, [lashes], False, (25, 30, 40), 2, cv2.LINE_AA, 2)
        crease = np.round((points[[0, 1, 2, 3]] - (0, 0.12 * width)) * 4).astype(np.int32)
        shade = np.zeros(image.shape[:2], np.float32)
        cv2.polylines(shade, [crease], False, 1.0, 1, cv2.LINE_AA, 2)
        shade = cv2.GaussianBlur(shade, (0, 0), 1.0)[..., None]
        image = (image * (1 - 0.45 * shade)).astype(np.uint8)
    return portrait(image)


def looking_aside(shift: float = 0.28) -> np.ndarray:
    """Both irises moved towards the image's right by ``shift`` eye widths (the whites painted
    where they were): the eyes look away while the head faces the camera."""
    image = astronaut()
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    for eye in EYES:
        points = MARKS[eye]
        width = float(points[3, 0] - points[0, 0])
        opening = np.zeros(image.shape[:2], np.uint8)
        cv2.fillConvexPoly(opening, np.round(points).astype(np.int32), 255)
        inside = grey[opening > 0]
        iris = ((grey <= np.quantile(inside, 0.4)) & (opening > 0)).astype(np.uint8) * 255
        iris = cv2.dilate(iris, np.ones((3, 3), np.uint8)) & opening
        whites = cv2.inpaint(image, iris, 3, cv2.INPAINT_TELEA)
        # The white of the eye: the opening's brighter half, not the lids' skin.
        sclera = image[(opening > 0) & (grey >= np.quantile(inside, 0.7))].mean(axis=0)
        whites[iris > 0] = sclera
        move = np.float32([[1, 0, shift * width], [0, 1, 0]])
        moved = cv2.warpAffine(image, move, image.shape[1::-1])
        moved_iris = cv2.warpAffine(iris, move, image.shape[1::-1]) & opening
        whites[moved_iris > 0] = moved[moved_iris > 0]
        image = whites
    return portrait(image)


def glare_on_glasses() -> np.ndarray:
    """A bright reflection of the lights on each spectacle lens, above and outside the iris."""
    image = astronaut().astype(np.float32)
    for eye, side in zip(EYES, (-1, 1), strict=True):
        points = MARKS[eye]
        width = float(points[3, 0] - points[0, 0])
        centre = points.mean(axis=0) + (side * 0.35 * width, -0.35 * width)
        blob = np.zeros(image.shape[:2], np.float32)
        axes = (round(0.45 * width), round(0.22 * width))
        cv2.ellipse(blob, tuple(np.round(centre).astype(int)), axes, -20 * side, 0, 360, 1.0, -1)
        blob = cv2.GaussianBlur(blob, (0, 0), 0.8)[..., None]
        image = image * (1 - blob) + 255.0 * blob
    return portrait(np.clip(image, 0, 255).astype(np.uint8))


def turned(yaw: float = 0.0, pitch: float = 0.0) -> np.ndarray:
    """The head turned ``yaw`` degrees (positive: towards the image's right) and tipped
    ``pitch`` degrees (positive: chin down), by moving the landmarks as points on a rounded
    head would move (an ellipsoid with the nose standing out of it) and warping after them."""
    return portrait(warp_landmarks(astronaut(), *_turned_points(yaw, pitch)))


def _turned_points(yaw: float, pitch: float) -> tuple[np.ndarray, np.ndarray]:
    marks = neutral_mouth()
    centre = np.array([225.0, 125.0])
    half_width, half_height = 50.0, 65.0
    # A ring around the face (the head's outline) moves too, outside it the picture stays.
    ring = [centre + (1.35 * half_width * np.cos(a), 1.25 * half_height * np.sin(a))
            for a in np.linspace(0, 2 * np.pi, 16, endpoint=False)]  # fmt: skip
    source = np.vstack([marks, np.array(ring, np.float32)])
    rel = (source - centre) / (half_width, half_height)
    depth = np.sqrt(np.clip(1 - (rel**2).sum(axis=1), 0, None)) * half_width * 0.9
    depth[27:36] += np.array([2, 5, 8, 12, 6, 7, 8, 7, 6], np.float32)  # the nose
    x, y = source[:, 0] - centre[0], source[:, 1] - centre[1]
    a, b = np.radians(yaw), np.radians(pitch)
    x2 = x * np.cos(a) + depth * np.sin(a)
    depth2 = -x * np.sin(a) + depth * np.cos(a)
    y2 = y * np.cos(b) + depth2 * np.sin(b)
    target = np.stack([x2 + centre[0], y2 + centre[1]], axis=1)
    # The camera is moved with the head, so the face stays centred where it was.
    target -= (target[:68] - source[:68]).mean(axis=0)
    target = target.astype(np.float32)
    return source.astype(np.float32), target
