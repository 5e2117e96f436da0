"""Frames per second of the photo quality evaluator on one core, at 640×480 and 1280×720.

The frames are a real portrait (skimage's astronaut with a neutral expression, on a plain
backdrop) as a desk camera would see it; a frame without a face is timed too (the evaluator
then also searches for a tilted face). Target: ≥ 30 frames/s at 640×480.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from issuance.biometrics.photo import PhotoEvaluator  # noqa: E402
from tests.issuance.biometrics.photo import portraits  # noqa: E402

SECONDS = 3.0


def frames_per_second(evaluator: PhotoEvaluator, frame: np.ndarray) -> float:
    evaluator.evaluate(frame)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        evaluator.evaluate(frame)
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    cv2.setNumThreads(1)
    evaluator = PhotoEvaluator()
    person = portraits.on_backdrop()
    for width, height in ((640, 480), (1280, 720)):
        frame = portraits.place(person, (width, height), 0.65, eyes_from_top=0.42)
        empty = np.full_like(frame, portraits.BACKDROP)
        verdict = "acceptable" if evaluator.evaluate(frame).acceptable else "NOT acceptable"
        fps = frames_per_second(evaluator, frame)
        fps_empty = frames_per_second(evaluator, empty)
        print(
            f"{width}x{height}: {fps:6.1f} frames/s with a face ({verdict}), "
            f"{fps_empty:6.1f} frames/s without"
        )


if __name__ == "__main__":
    main()
