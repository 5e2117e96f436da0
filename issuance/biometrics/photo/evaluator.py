"""Per-frame photo quality: every check with its verdict, measured value and limit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np

from issuance.biometrics.photo.face_finder import FaceFinder, FaceGeometry
from issuance.biometrics.photo.messages import (
    HIGH,
    LOW,
    Check,
    failure_message,
    not_measured_message,
)
from issuance.biometrics.photo.thresholds import Limit, PhotoThresholds

# Face measures are taken on the face scaled to this width, so that values do not depend on
# the camera's resolution or the distance to it.
_FACE_WORK_WIDTH = 160
_SHADOW_LEVEL = 10
_HIGHLIGHT_LEVEL = 245
_BACKGROUND_WORK_HEIGHT = 120
_MIN_BACKGROUND_FRACTION = 0.01
# A pixel belongs to the head when its colour is this far (BGR distance) from the backdrop's.
_SILHOUETTE_DISTANCE = 30.0


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_MEASURED = "not_measured"


@dataclass(frozen=True)
class CheckResult:
    check: Check
    verdict: Verdict
    value: float | None
    limit: Limit
    message_sq: str = ""
    message_en: str = ""

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.PASS

    def message(self, language: str = "sq") -> str:
        return self.message_sq if language == "sq" else self.message_en


@dataclass(frozen=True)
class Evaluation:
    checks: tuple[CheckResult, ...]
    geometry: FaceGeometry | None
    frame_width: int
    frame_height: int

    @property
    def acceptable(self) -> bool:
        return all(result.passed for result in self.checks)

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.checks if r.verdict is Verdict.FAIL)

    def result(self, check: Check | str) -> CheckResult:
        for result in self.checks:
            if result.check == check:
                return result
        raise KeyError(check)

    def value(self, check: Check | str) -> float | None:
        return self.result(check).value


def _judge(check: Check, value: float, limit: Limit) -> CheckResult:
    if limit.accepts(value):
        return CheckResult(check, Verdict.PASS, value, limit)
    problem = LOW if limit.low is not None and value < limit.low else HIGH
    sq, en = failure_message(check, problem)
    return CheckResult(check, Verdict.FAIL, value, limit, sq, en)


def _unmeasured(check: Check, limit: Limit, missing: str) -> CheckResult:
    sq, en = not_measured_message(missing)
    return CheckResult(check, Verdict.NOT_MEASURED, None, limit, sq, en)


class PhotoEvaluator:
    """Runs every check on a BGR frame. Not thread-safe: use one per worker thread."""

    def __init__(self, thresholds: PhotoThresholds | None = None) -> None:
        self.thresholds = thresholds or PhotoThresholds()
        self._finder = FaceFinder()

    def evaluate(self, frame: np.ndarray) -> Evaluation:
        bgr = _as_bgr(frame)
        grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
        height, width = grey.shape
        detection = self._finder.detect(grey)
        t = self.thresholds
        results = [_judge(Check.FACE_COUNT, float(len(detection.faces)), t.face_count)]
        geometry = detection.primary if len(detection.faces) == 1 else None
        if geometry is None:
            results += [_unmeasured(check, limit, "face") for check, limit in self._face_checks()]
            return Evaluation(tuple(results), None, width, height)
        face_bgr, face_grey = _face_patch(bgr, grey, geometry)
        measures: dict[Check, Callable[[], float | None]] = {
            Check.FACE_CENTRED: lambda: abs(geometry.face.cx - width / 2) / width,
            Check.HEAD_SIZE: lambda: geometry.head_height / height,
            Check.HEAD_POSITION: lambda: geometry.eye_line_y / height,
            Check.EYES_FOUND: lambda: float(len(geometry.eyes)),
            Check.EYES_LEVEL: lambda: abs(geometry.roll_degrees) if geometry.both_eyes else None,
            Check.FRONTAL: lambda: _yaw_proxy(bgr, grey, geometry, t.background_spread),
            Check.SHARPNESS: lambda: float(cv2.Laplacian(face_grey, cv2.CV_32F).var()),
            Check.EXPOSURE: lambda: float(face_grey.mean()),
            Check.CLIPPED_SHADOWS: lambda: float(np.mean(face_grey <= _SHADOW_LEVEL)),
            Check.CLIPPED_HIGHLIGHTS: lambda: float(np.mean(face_grey >= _HIGHLIGHT_LEVEL)),
            Check.EVEN_LIGHTING: lambda: _lighting_asymmetry(face_grey),
            Check.BACKGROUND_PLAIN: lambda: _background(grey, geometry, np.std),
            Check.BACKGROUND_LIGHT: lambda: _background(grey, geometry, np.mean),
            Check.COLOUR: lambda: _chroma(face_bgr),
        }
        for check, limit in self._face_checks():
            value = measures[check]()
            if value is None:
                missing = "eyes" if check in (Check.EYES_LEVEL, Check.FRONTAL) else "background"
                results.append(_unmeasured(check, limit, missing))
            else:
                results.append(_judge(check, value, limit))
        return Evaluation(tuple(results), geometry, width, height)

    def _face_checks(self) -> list[tuple[Check, Limit]]:
        t = self.thresholds
        return [
            (Check.FACE_CENTRED, t.face_centre_offset),
            (Check.HEAD_SIZE, t.head_height_ratio),
            (Check.HEAD_POSITION, t.eye_line_from_top),
            (Check.EYES_FOUND, t.eyes_found),
            (Check.EYES_LEVEL, t.roll_degrees),
            (Check.FRONTAL, t.yaw_proxy),
            (Check.SHARPNESS, t.sharpness),
            (Check.EXPOSURE, t.exposure_mean),
            (Check.CLIPPED_SHADOWS, t.clipped_shadows),
            (Check.CLIPPED_HIGHLIGHTS, t.clipped_highlights),
            (Check.EVEN_LIGHTING, t.lighting_asymmetry),
            (Check.BACKGROUND_PLAIN, t.background_spread),
            (Check.BACKGROUND_LIGHT, t.background_brightness),
            (Check.COLOUR, t.colour),
        ]


def _as_bgr(frame: np.ndarray) -> np.ndarray:
    if not isinstance(frame, np.ndarray) or frame.size == 0:
        raise ValueError("frame must be a non-empty image array")
    if frame.dtype != np.uint8:
        frame = np.clip(frame, 0, 255).astype(np.uint8)
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    if frame.ndim == 3 and frame.shape[2] == 3:
        return frame
    raise ValueError(f"unsupported image shape {frame.shape}")


def _face_patch(
    bgr: np.ndarray, grey: np.ndarray, geometry: FaceGeometry
) -> tuple[np.ndarray, np.ndarray]:
    # The inner face (cheeks, eyes, nose, mouth) without hair and background at the box edges.
    box = geometry.face
    x0, x1 = int(box.x + 0.15 * box.w), int(box.x + 0.85 * box.w)
    y0, y1 = int(box.y + 0.20 * box.h), int(box.y + 0.95 * box.h)
    height, width = grey.shape
    x0, x1 = max(0, x0), min(width, max(x1, x0 + 1))
    y0, y1 = max(0, y0), min(height, max(y1, y0 + 1))
    k = _FACE_WORK_WIDTH / max(1, x1 - x0)
    size = (_FACE_WORK_WIDTH, max(1, round((y1 - y0) * k)))
    method = cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR
    face_bgr = cv2.resize(bgr[y0:y1, x0:x1], size, interpolation=method)
    face_grey = cv2.resize(grey[y0:y1, x0:x1], size, interpolation=method)
    return face_bgr, face_grey


def _yaw_proxy(
    bgr: np.ndarray, grey: np.ndarray, geometry: FaceGeometry, plain: Limit
) -> float | None:
    """Offset of the eyes' mid-point from the middle of the head's outline, in eye distances.

    A turned head brings the eyes towards one side of its outline. The Haar face box cannot
    show it: the cascade anchors the box on the eyes and nose, so it turns with them (a face
    with one half squeezed to half its width kept the eyes within 0.05 of the box's centre).
    The outline is read beside the eyes against the plain backdrop; when the backdrop is
    not plain (that check then fails anyway) the outline cannot be told from it and the box
    is the only reference left.
    """
    if not geometry.both_eyes or geometry.eye_distance == 0:
        return None
    centre = _head_outline_centre(bgr, grey, geometry, plain)
    if centre is None:
        centre = geometry.face.cx
    return abs(geometry.centre_x - centre) / geometry.eye_distance


def _head_outline_centre(
    bgr: np.ndarray, grey: np.ndarray, geometry: FaceGeometry, plain: Limit
) -> float | None:
    """Middle of the head's outline in the band around the eye line, or None when unseen."""
    height, width = grey.shape
    k = min(1.0, _BACKGROUND_WORK_HEIGHT / height)
    # Linear (not area) scaling is ten times cheaper on a colour frame and is enough here:
    # the outline is the median over several rows of a plain backdrop.
    small = cv2.resize(bgr, None, fx=k, fy=k, interpolation=cv2.INTER_LINEAR)
    mask = _background_mask(small.shape[:2], geometry, k)
    backdrop = small[mask > 0]
    if backdrop.size < max(20, _MIN_BACKGROUND_FRACTION * mask.size):
        return None
    if not plain.accepts(float(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)[mask > 0].std())):
        return None
    colour = np.median(backdrop.reshape(-1, 3), axis=0)
    # Rows a little above and below the eyes: temples and cheekbones, above the ears' lobes.
    band = 0.06 * geometry.head_height * k
    eye_row = geometry.eye_line_y * k
    top, bottom = max(0, int(eye_row - band)), min(small.shape[0], int(eye_row + band) + 1)
    rows = small[top:bottom].astype(np.float32)
    if rows.size == 0:
        return None
    head = np.linalg.norm(rows - colour, axis=2) > _SILHOUETTE_DISTANCE
    centres = []
    eyes_x = int(round(geometry.centre_x * k))
    for row in head:
        # The run of head pixels around the eyes; a stray speck of the backdrop does not count.
        if not 0 <= eyes_x < row.size or not row[eyes_x]:
            continue
        outside = np.flatnonzero(~row)
        left = outside[outside < eyes_x]
        right = outside[outside > eyes_x]
        if left.size == 0 or right.size == 0:
            return None  # the head reaches the frame's edge: no outline to measure against
        centres.append((left[-1] + 1 + right[0] - 1) / 2)
    if len(centres) < max(1, (bottom - top) // 2):
        return None
    return float(np.median(centres)) / k + (0.5 / k - 0.5)


def _lighting_asymmetry(face_grey: np.ndarray) -> float:
    half = face_grey.shape[1] // 2
    left = float(face_grey[:, :half].mean())
    right = float(face_grey[:, half:].mean())
    mean = (left + right) / 2
    return abs(left - right) / mean if mean > 0 else 0.0


def _background(
    grey: np.ndarray, geometry: FaceGeometry, statistic: Callable[[np.ndarray], float]
) -> float | None:
    """``statistic`` of the grey levels beside and above the head, down to the eye line.

    Below the eyes the shoulders and collar reach the frame's edges in a tight portrait."""
    height, width = grey.shape
    k = min(1.0, _BACKGROUND_WORK_HEIGHT / height)
    small = cv2.resize(grey, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    mask = _background_mask(small.shape, geometry, k)
    pixels = small[mask > 0]
    if pixels.size < max(20, _MIN_BACKGROUND_FRACTION * small.size):
        return None
    return float(statistic(pixels))


def _background_mask(shape: tuple[int, ...], geometry: FaceGeometry, k: float) -> np.ndarray:
    """Beside and above the head down to the eye line, on an image scaled by ``k``."""
    mask = np.zeros(shape[:2], np.uint8)
    eye_line = int(min(shape[0], geometry.eye_line_y * k))
    mask[:eye_line, :] = 255
    # Head with hair: an ellipse around the eye line, generously wider than the face box.
    centre = (round(geometry.face.cx * k), round(geometry.eye_line_y * k))
    axes = (round(0.95 * geometry.face.w * k), round(0.62 * geometry.head_height * k))
    cv2.ellipse(mask, centre, axes, 0, 0, 360, 0, thickness=-1)
    return mask


def _chroma(face_bgr: np.ndarray) -> float:
    return float((face_bgr.max(axis=2).astype(np.int16) - face_bgr.min(axis=2)).mean())
