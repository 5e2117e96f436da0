"""Per-frame photo quality: every check with its verdict, measured value and limit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np

from issuance.biometrics.photo import face_measures
from issuance.biometrics.photo.face_finder import FaceFinder, FaceGeometry
from issuance.biometrics.photo.landmarks import find_landmarks
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
# What a check that could not be measured was missing (any other: both eyes).
_MISSING = {
    Check.BACKGROUND_PLAIN: "background",
    Check.BACKGROUND_LIGHT: "background",
    Check.EYES_FOUND: "open_eyes",
    Check.LOOKING_AT_CAMERA: "open_eyes",
}


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
        marks = find_landmarks(grey, geometry.face)
        pose = face_measures.head_pose(marks, width)
        eyes_open = face_measures.eye_openness(marks)
        open_eyes = t.eye_openness.accepts(eyes_open)
        measures: dict[Check, Callable[[], float | None]] = {
            Check.FACE_CENTRED: lambda: abs(geometry.face.cx - width / 2) / width,
            Check.HEAD_SIZE: lambda: geometry.head_height / height,
            Check.HEAD_POSITION: lambda: geometry.eye_line_y / height,
            # Closed eyes are eyes_open's to report: the eye cascade, trained on open eyes,
            # misses them, and the clerk would be told twice.
            Check.EYES_FOUND: lambda: float(len(geometry.eyes)) if open_eyes else None,
            Check.EYES_LEVEL: lambda: abs(pose.roll) if pose else None,
            Check.FRONTAL: lambda: abs(pose.yaw) if pose else None,
            Check.HEAD_PITCH: lambda: abs(pose.pitch) if pose else None,
            Check.NEUTRAL_EXPRESSION: lambda: face_measures.smile(marks),
            Check.MOUTH_CLOSED: lambda: face_measures.mouth_opening(marks),
            Check.EYES_OPEN: lambda: eyes_open,
            # Where the eyes look is only seen when they are open.
            Check.LOOKING_AT_CAMERA: lambda: (
                face_measures.gaze_offset(grey, marks) if open_eyes else None
            ),
            Check.GLASSES_GLARE: lambda: face_measures.glare(bgr, marks),
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
                missing = _MISSING.get(check, "eyes")
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
            (Check.FRONTAL, t.yaw_degrees),
            (Check.HEAD_PITCH, t.pitch_degrees),
            (Check.NEUTRAL_EXPRESSION, t.smile),
            (Check.MOUTH_CLOSED, t.mouth_opening),
            (Check.EYES_OPEN, t.eye_openness),
            (Check.LOOKING_AT_CAMERA, t.gaze_offset),
            (Check.GLASSES_GLARE, t.glare),
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
