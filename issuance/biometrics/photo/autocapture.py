"""Automatic capture: take the best frame once every check has passed on N frames in a row."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from issuance.biometrics.photo.evaluator import Evaluation
from issuance.biometrics.photo.messages import Check
from issuance.biometrics.photo.portrait import chip_jpeg, encode_jpeg, portrait_crop
from issuance.biometrics.photo.thresholds import PhotoThresholds, PortraitLayout


@dataclass(frozen=True)
class CapturedPhoto:
    """The chosen frame, its evaluation, and the portrait as archived and as put on the chip."""

    frame: np.ndarray
    evaluation: Evaluation
    portrait: np.ndarray
    portrait_jpeg: bytes
    chip_jpeg: bytes


class AutoCapture:
    """Pure logic fed with (frame, evaluation) pairs; no camera, no thread, no clock.

    A failing frame restarts the run. When ``required_frames`` consecutive frames pass, the
    sharpest of them is cut and encoded, and the capture is done until ``reset()``.

    The run length and the portrait layout come from the thresholds table
    (``consecutive_frames`` and ``layout``) unless given here, so the table stays the one
    place where they are set.
    """

    def __init__(
        self,
        required_frames: int | None = None,
        layout: PortraitLayout | None = None,
        thresholds: PhotoThresholds | None = None,
    ) -> None:
        table = thresholds or PhotoThresholds()
        if required_frames is None:
            required_frames = table.consecutive_frames
        if required_frames < 1:
            raise ValueError("required_frames must be at least 1")
        self.required_frames = required_frames
        self.layout = layout or table.layout
        self._run = 0
        self._best: tuple[float, np.ndarray, Evaluation] | None = None
        self._captured: CapturedPhoto | None = None

    @property
    def progress(self) -> int:
        """Passing frames in the current run (for a progress indicator)."""
        return self._run

    @property
    def captured(self) -> CapturedPhoto | None:
        return self._captured

    def reset(self) -> None:
        self._run = 0
        self._best = None
        self._captured = None

    def feed(self, frame: np.ndarray, evaluation: Evaluation) -> CapturedPhoto | None:
        """Returns the capture on the frame that completes the run, otherwise None."""
        if self._captured is not None:
            return None
        if not evaluation.acceptable:
            self._run = 0
            self._best = None
            return None
        self._run += 1
        sharpness = evaluation.value(Check.SHARPNESS) or 0.0
        if self._best is None or sharpness > self._best[0]:
            # Camera backends may reuse their buffer, so keep our own copy.
            self._best = (sharpness, frame.copy(), evaluation)
        if self._run < self.required_frames:
            return None
        _, best_frame, best_evaluation = self._best
        self._captured = self._cut(best_frame, best_evaluation)
        return self._captured

    def _cut(self, frame: np.ndarray, evaluation: Evaluation) -> CapturedPhoto:
        portrait = portrait_crop(frame, evaluation.geometry, self.layout)
        return CapturedPhoto(
            frame=frame,
            evaluation=evaluation,
            portrait=portrait,
            portrait_jpeg=encode_jpeg(portrait),
            chip_jpeg=chip_jpeg(portrait, self.layout),
        )
