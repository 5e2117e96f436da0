"""Finding faces and eyes with OpenCV's Haar cascades, fast enough for a live camera.

Faces are searched on a small copy of the frame (faces at the desk are large), eyes only in
the upper part of the face at a fixed working size. When no upright face is found the search is
repeated on the frame turned by ±ROLL_SEARCH_DEGREES, so a tilted head is reported as tilted
rather than as "no face".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import cv2.data
import numpy as np

# The Haar face box spans brows to mouth; chin-to-crown is about this many box heights, or
# this many eye distances, with the eyes half-way (calibrated on frontal portraits). The box
# size is coarse (detection runs on a small image), so both estimates are averaged.
HEAD_HEIGHT_PER_FACE_BOX = 1.75
HEAD_HEIGHT_PER_EYE_DISTANCE = 3.7
EYE_LINE_IN_FACE_BOX = 0.38
ROLL_SEARCH_DEGREES = 20.0

_DETECTION_HEIGHT = 120
_MIN_FACE_RATIO = 0.16
_EYE_ROI_WIDTH = 90


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class FaceGeometry:
    """One face in frame coordinates; ``eyes`` holds 0, 1 or 2 eyes (image-left first)."""

    face: Box
    eyes: tuple[Point, ...]

    @property
    def both_eyes(self) -> bool:
        return len(self.eyes) == 2

    @property
    def eye_distance(self) -> float:
        if not self.both_eyes:
            return 0.0
        left, right = self.eyes
        return math.hypot(right.x - left.x, right.y - left.y)

    @property
    def roll_degrees(self) -> float:
        if not self.both_eyes:
            return 0.0
        left, right = self.eyes
        return math.degrees(math.atan2(right.y - left.y, right.x - left.x))

    @property
    def eye_line_y(self) -> float:
        if self.both_eyes:
            return (self.eyes[0].y + self.eyes[1].y) / 2
        return self.face.y + EYE_LINE_IN_FACE_BOX * self.face.h

    @property
    def centre_x(self) -> float:
        if self.both_eyes:
            return (self.eyes[0].x + self.eyes[1].x) / 2
        return self.face.cx

    @property
    def head_height(self) -> float:
        from_box = HEAD_HEIGHT_PER_FACE_BOX * self.face.h
        if not self.both_eyes:
            return from_box
        return (from_box + HEAD_HEIGHT_PER_EYE_DISTANCE * self.eye_distance) / 2

    @property
    def crown_y(self) -> float:
        return self.eye_line_y - self.head_height / 2

    @property
    def chin_y(self) -> float:
        return self.eye_line_y + self.head_height / 2


@dataclass(frozen=True)
class Detection:
    """All faces seen in a frame; ``primary`` is the largest with its eyes located."""

    faces: tuple[Box, ...]
    primary: FaceGeometry | None


def _cascade(name: str) -> cv2.CascadeClassifier:
    path = Path(cv2.data.haarcascades) / name
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():
        raise RuntimeError(f"OpenCV Haar cascade not found: {path}")
    return cascade


class FaceFinder:
    """Locates faces and eyes in grey frames. Holds its cascades; one per thread."""

    def __init__(self) -> None:
        self._faces = _cascade("haarcascade_frontalface_default.xml")
        self._eyes = _cascade("haarcascade_eye.xml")

    def detect(self, grey: np.ndarray) -> Detection:
        scale = min(1.0, _DETECTION_HEIGHT / grey.shape[0])
        small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        faces = self._find_faces(small, scale)
        if faces:
            primary = max(faces, key=lambda box: box.w * box.h)
            return Detection(tuple(faces), FaceGeometry(primary, self._find_eyes(grey, primary)))
        for angle in (ROLL_SEARCH_DEGREES, -ROLL_SEARCH_DEGREES):
            found = self._detect_turned(grey, small, scale, angle)
            if found is not None:
                return found
        return Detection((), None)

    def _find_faces(self, small: np.ndarray, scale: float) -> list[Box]:
        side = max(20, int(_MIN_FACE_RATIO * min(small.shape[:2])))
        rects = self._faces.detectMultiScale(small, 1.15, 4, minSize=(side, side))
        return [Box(x / scale, y / scale, w / scale, h / scale) for (x, y, w, h) in rects]

    def _find_eyes(self, grey: np.ndarray, face: Box) -> tuple[Point, ...]:
        # Eyes sit in the band 15–60 % down the face box; searching only there is fast and
        # keeps nostrils and mouth corners out.
        top = int(face.y + 0.15 * face.h)
        bottom = int(face.y + 0.60 * face.h)
        left, right = int(face.x), int(face.x + face.w)
        roi = grey[max(0, top) : max(0, bottom), max(0, left) : max(0, right)]
        if roi.size == 0:
            return ()
        k = _EYE_ROI_WIDTH / roi.shape[1]
        method = cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR
        roi = cv2.resize(roi, None, fx=k, fy=k, interpolation=method)
        low, high = int(0.15 * _EYE_ROI_WIDTH), int(0.40 * _EYE_ROI_WIDTH)
        rects = self._eyes.detectMultiScale(roi, 1.15, 3, minSize=(low, low), maxSize=(high, high))
        half = _EYE_ROI_WIDTH / 2
        sides: dict[bool, tuple[float, Point]] = {}
        for x, y, w, h in rects:
            centre_x, centre_y = x + w / 2, y + h / 2
            is_right = centre_x >= half
            # Prefer the candidate nearest the typical eye position on that side.
            expected_x = half * (1.4 if is_right else 0.6)
            distance = abs(centre_x - expected_x) + abs(centre_y - roi.shape[0] * 0.5)
            point = Point(left + centre_x / k, top + centre_y / k)
            if is_right not in sides or distance < sides[is_right][0]:
                sides[is_right] = (distance, point)
        return tuple(sides[side][1] for side in (False, True) if side in sides)

    def _detect_turned(
        self, grey: np.ndarray, small: np.ndarray, scale: float, angle: float
    ) -> Detection | None:
        height, width = small.shape[:2]
        turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
        turned = cv2.warpAffine(small, turn, (width, height), borderMode=cv2.BORDER_REPLICATE)
        faces = self._find_faces(turned, scale)
        if not faces:
            return None
        full_h, full_w = grey.shape[:2]
        full_turn = cv2.getRotationMatrix2D((full_w / 2, full_h / 2), angle, 1.0)
        turned_full = cv2.warpAffine(
            grey, full_turn, (full_w, full_h), borderMode=cv2.BORDER_REPLICATE
        )
        back = cv2.invertAffineTransform(full_turn)
        primary = max(faces, key=lambda box: box.w * box.h)
        eyes = tuple(_apply(back, eye) for eye in self._find_eyes(turned_full, primary))
        upright = [_turn_box(back, box) for box in faces]
        return Detection(tuple(upright), FaceGeometry(_turn_box(back, primary), eyes))


def _apply(matrix: np.ndarray, point: Point) -> Point:
    x = matrix[0, 0] * point.x + matrix[0, 1] * point.y + matrix[0, 2]
    y = matrix[1, 0] * point.x + matrix[1, 1] * point.y + matrix[1, 2]
    return Point(float(x), float(y))


def _turn_box(matrix: np.ndarray, box: Box) -> Box:
    centre = _apply(matrix, Point(box.cx, box.cy))
    return Box(centre.x - box.w / 2, centre.y - box.h / 2, box.w, box.h)
