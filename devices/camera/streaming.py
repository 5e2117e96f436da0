"""What every OpenCV-backed camera shares: the reading thread, delivery and status."""

from __future__ import annotations

import logging
import queue
import threading
import time

import cv2
import numpy as np

from issuance.ports.camera import (
    CameraState,
    CameraStatus,
    Frame,
    FrameCallback,
    FrameSink,
    StatusCallback,
)
from issuance.ports.camera_errors import CameraNotReady

log = logging.getLogger(__name__)

_JOIN_TIMEOUT_S = 5.0


class StreamingCamera:
    """Base of the OpenCV backends. Subclasses open a ``cv2.VideoCapture`` and may override
    ``_recover`` (what to do when a read fails) and ``_frame_interval`` (pacing)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._capture: cv2.VideoCapture | None = None
        self._status = CameraStatus(CameraState.CLOSED)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._on_status: StatusCallback | None = None

    # -- the Camera protocol ------------------------------------------------------------

    @property
    def status(self) -> CameraStatus:
        return self._status

    def open(self) -> CameraStatus:
        if self._status.state in (CameraState.CONNECTED, CameraState.BUSY):
            return self._status
        self._release()
        try:
            capture = self._open_capture()
        except cv2.error as error:
            log.warning("camera %s: open failed: %s", self.label, error)
            capture = None
        if capture is None or not capture.isOpened():
            self._set_error(
                f"kamera «{self.label}» nuk u hap (e shkëputur ose e zënë nga një program tjetër)",
                f"camera '{self.label}' could not be opened (unplugged or used by another program)",
            )
        else:
            self._capture = capture
            self._set_status(CameraStatus(CameraState.CONNECTED))
        return self._status

    def start(self, sink: FrameSink, on_status: StatusCallback | None = None) -> None:
        with self._lock:
            if self._status.state is not CameraState.CONNECTED:
                if self._status.state is CameraState.BUSY:
                    raise CameraNotReady("po transmeton tashmë", "it is already streaming")
                raise CameraNotReady(
                    self._status.reason_sq or "nuk është hapur",
                    self._status.reason_en or "it is not open",
                )
            self._on_status = on_status
            self._stopping.clear()
            deliver = _delivery(sink)
            self._thread = threading.Thread(
                target=self._stream, args=(deliver,), name=f"camera {self.label}", daemon=True
            )
            self._set_status(CameraStatus(CameraState.BUSY))
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(_JOIN_TIMEOUT_S)
        self._thread = None
        if self._status.state is CameraState.BUSY:
            self._set_status(CameraStatus(CameraState.CONNECTED))

    def close(self) -> None:
        self.stop()
        self._release()
        self._set_status(CameraStatus(CameraState.CLOSED))

    def __enter__(self) -> StreamingCamera:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- for the backends ---------------------------------------------------------------

    def _open_capture(self) -> cv2.VideoCapture | None:
        raise NotImplementedError

    def _frame_interval(self) -> float | None:
        """Seconds between frames, or None to read as fast as the device delivers."""
        return None

    def _recover(self, capture: cv2.VideoCapture) -> np.ndarray | None:
        """Called when a read fails; returns a frame if the source could go on."""
        return None

    def _lost_reason(self) -> tuple[str, str]:
        return (
            f"kamera «{self.label}» nuk jep më pamje (u shkëput?)",
            f"camera '{self.label}' stopped delivering frames (unplugged?)",
        )

    # -- the reading thread -------------------------------------------------------------

    def _stream(self, deliver: FrameCallback) -> None:
        capture = self._capture
        interval = self._frame_interval()
        next_due = time.monotonic()
        index = 0
        while not self._stopping.is_set() and capture is not None:
            image: np.ndarray | None
            try:
                ok, image = capture.read()
                if not ok or image is None:
                    image = self._recover(capture)
            except cv2.error as error:
                log.warning("camera %s: read failed: %s", self.label, error)
                image = None
            if image is None:
                self._set_error(*self._lost_reason())
                return
            if self._stopping.is_set():
                return
            try:
                deliver(Frame(image, index, time.monotonic()))
            except Exception:
                # The consumer's bug must not pass silently, nor kill the caller: report it.
                log.exception("camera %s: frame consumer failed", self.label)
                self._set_error(
                    "programi që merr pamjet dështoi", "the program receiving the frames failed"
                )
                return
            index += 1
            if interval:
                next_due += interval
                delay = next_due - time.monotonic()
                if delay > 0:
                    self._stopping.wait(delay)
                else:
                    next_due = time.monotonic()

    def _set_error(self, reason_sq: str, reason_en: str) -> None:
        self._set_status(CameraStatus(CameraState.ERROR, reason_sq, reason_en))

    def _set_status(self, status: CameraStatus) -> None:
        self._status = status
        listener = self._on_status
        if listener is not None:
            try:
                listener(status)
            except Exception:
                log.exception("camera %s: status listener failed", self.label)

    def _release(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


def _delivery(sink: FrameSink) -> FrameCallback:
    if isinstance(sink, queue.Queue):
        return _to_queue(sink)
    if callable(sink):
        return sink
    raise TypeError("sink must be a callable or a queue.Queue")


def _to_queue(frames: queue.Queue) -> FrameCallback:
    def put(frame: Frame) -> None:
        while True:
            try:
                frames.put_nowait(frame)
                return
            except queue.Full:
                # Live preview wants the newest picture: drop the oldest one.
                try:
                    frames.get_nowait()
                except queue.Empty:
                    pass

    return put
