"""dlib's 68 facial landmarks, placed inside the face box the Haar cascade already found.

The model (``shape_predictor_68_face_landmarks``, trained on iBUG 300-W) ships inside the
``face-recognition-models`` package; nothing is downloaded. It is loaded on first use, once
per process (about a second and 100 MB), never at import. Placing the 68 points from a known
face box takes about a millisecond, so dlib's own (slower) face detector is not run per frame.

The predictor was trained on boxes from dlib's HOG detector, which sit lower and tighter on
the face than OpenCV's Haar boxes: the Haar box is mapped onto a HOG-like one first
(calibrated on the test portraits), and the points are then placed a second time from the box
that the first placement implies, which makes them independent of how the box was found.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from issuance.biometrics.photo.face_finder import Box

# A HOG box relative to the Haar box of the same face (x, y offsets and size, in Haar sizes).
_HOG_FROM_HAAR = (0.06, 0.145, 0.88)
# A HOG box is about as wide as the landmarks' extent, centred on it, and starts this many
# box sides above the brows.
_HOG_ABOVE_BROWS = 0.08

# Index ranges of the iBUG 68-point mark-up.
JAW = slice(0, 17)
RIGHT_EYE = slice(36, 42)  # the subject's right eye: image left
LEFT_EYE = slice(42, 48)
OUTER_LIPS = slice(48, 60)
INNER_LIPS = slice(60, 68)
MOUTH_CORNERS = (48, 54)
UPPER_INNER_LIP = (61, 62, 63)
LOWER_INNER_LIP = (67, 66, 65)
NOSE_BRIDGE_TOP = 27
CHIN = 8


@dataclass(frozen=True)
class Landmarks:
    """The 68 points in frame coordinates, as a (68, 2) float array."""

    points: np.ndarray

    def eye(self, index: int) -> np.ndarray:
        """The six points of eye ``index`` (0 = image left, 1 = image right)."""
        return self.points[RIGHT_EYE if index == 0 else LEFT_EYE]

    def eye_centre(self, index: int) -> np.ndarray:
        return self.eye(index).mean(axis=0)

    @property
    def inter_ocular(self) -> float:
        return float(np.linalg.norm(self.eye_centre(1) - self.eye_centre(0)))

    @property
    def face_height(self) -> float:
        """Nose bridge (between the eyes) to chin."""
        return float(np.linalg.norm(self.points[CHIN] - self.points[NOSE_BRIDGE_TOP]))


@lru_cache(maxsize=1)
def _predictor() -> tuple[Any, threading.Lock]:
    import dlib  # loaded here: importing the photo package must stay cheap
    import face_recognition_models as models

    return dlib.shape_predictor(models.pose_predictor_model_location()), threading.Lock()


def _place(grey: np.ndarray, box: tuple[float, float, float]) -> np.ndarray:
    import dlib

    x, y, side = box
    # dlib copies the image it is given: only the box with a margin is handed over.
    height, width = grey.shape
    x0, y0 = max(0, int(x - side / 2)), max(0, int(y - side / 2))
    x1, y1 = min(width, int(x + 1.5 * side) + 1), min(height, int(y + 1.5 * side) + 1)
    crop = np.ascontiguousarray(grey[y0:y1, x0:x1])
    rectangle = dlib.rectangle(round(x) - x0, round(y) - y0, round(x + side) - x0,
                               round(y + side) - y0)  # fmt: skip
    predictor, lock = _predictor()
    with lock:  # one model per process, shared by the evaluators' threads
        shape = predictor(crop, rectangle)
    points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float32)
    return points + np.array([x0, y0], dtype=np.float32)


def find_landmarks(grey: np.ndarray, face: Box) -> Landmarks:
    """The 68 points of the face in ``face`` (a Haar box) on a grey uint8 frame."""
    dx, dy, k = _HOG_FROM_HAAR
    points = _place(grey, (face.x + dx * face.w, face.y + dy * face.h, k * face.w))
    return Landmarks(_place(grey, _box_from_points(points)))


def _box_from_points(points: np.ndarray) -> tuple[float, float, float]:
    left, top = points.min(axis=0)
    right, bottom = points.max(axis=0)
    side = float(max(right - left, bottom - top))
    return float((left + right) / 2 - side / 2), float(top - _HOG_ABOVE_BROWS * side), side
