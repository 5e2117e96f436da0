"""A real camera through ``cv2.VideoCapture`` (V4L2 on Linux, Media Foundation on Windows)."""

from __future__ import annotations

import cv2
import numpy as np

from devices.camera.streaming import StreamingCamera

# A single failed read can happen when the driver drops a frame; several in a row mean the
# device is gone.
_FAILED_READS_BEFORE_LOST = 3


class OpenCVCamera(StreamingCamera):
    """Device ``index`` at its native resolution, unless ``width``/``height`` are asked for."""

    def __init__(self, index: int, width: int | None = None, height: int | None = None) -> None:
        super().__init__(f"opencv:{index}")
        self.index = index
        self.width = width
        self.height = height

    def _open_capture(self) -> cv2.VideoCapture | None:
        capture = cv2.VideoCapture(self.index)
        if capture.isOpened():
            if self.width:
                capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            if self.height:
                capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        return capture

    def _recover(self, capture: cv2.VideoCapture) -> np.ndarray | None:
        for _ in range(_FAILED_READS_BEFORE_LOST - 1):
            ok, image = capture.read()
            if ok and image is not None:
                return image
        return None
