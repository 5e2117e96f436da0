"""A camera played from an image sequence or a video file, for tests and the demo."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from devices.camera.streaming import StreamingCamera

DEFAULT_FPS = 15.0


class FileCamera(StreamingCamera):
    """Plays ``path`` (``frames/frame_%03d.png`` or ``video.avi``) at ``fps``, rewinding at
    the end so it streams forever like a real camera. If the files disappear or become
    unreadable while streaming, the camera turns to an ERROR status, as an unplugged one does.
    """

    def __init__(self, path: str, fps: float = DEFAULT_FPS) -> None:
        if fps <= 0:
            raise ValueError("fps must be positive")
        super().__init__(f"file:{Path(path).name}")
        self.path = path
        self.fps = fps

    def _open_capture(self) -> cv2.VideoCapture | None:
        if "%" not in self.path and not Path(self.path).is_file():
            return None
        capture = cv2.VideoCapture(self.path)
        return capture if capture.isOpened() else None

    def _frame_interval(self) -> float | None:
        return 1.0 / self.fps

    def _recover(self, capture: cv2.VideoCapture) -> np.ndarray | None:
        # End of the sequence: start again from the first frame.
        capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
        ok, image = capture.read()
        return image if ok else None
