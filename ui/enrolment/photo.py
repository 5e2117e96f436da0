"""Step 3: live photo. The camera streams on its own thread; a device worker evaluates each
frame (the ICAO checks cost milliseconds, never the GUI thread's) and sends the annotated
picture and the verdict to the GUI thread by signal. Auto-capture takes the photo."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from issuance.biometrics.photo import AutoCapture, CapturedPhoto, Evaluation, PhotoEvaluator
from issuance.ports.camera import Frame
from issuance.queries.enrolment import ApplicationSummary
from issuance.services import capture
from ui.context import DeskContext
from ui.enrolment.base import StepPage
from ui.widgets import named
from ui.workers import Lane

if TYPE_CHECKING:
    from ui.enrolment.wizard import EnrolmentWizard

CAPTURE_TIMEOUT_S = 120.0
PREVIEW_WIDTH = 480
GREEN, RED = (50, 160, 46), (40, 40, 198)  # BGR


class _Bridge(QObject):
    # Emitted on the device worker's thread; Qt queues it to the page on the GUI thread.
    frame_ready = Signal(object, object, int)  # QImage, Evaluation, passing frames in a row


def annotate(frame: np.ndarray, evaluation: Evaluation) -> QImage:
    """The preview picture: the frame scaled down, with a box around the face that is green
    when every check passes. Runs on the worker thread (QImage is safe off the GUI thread)."""
    height, width = frame.shape[:2]
    scale = PREVIEW_WIDTH / width
    small = cv2.resize(frame, (PREVIEW_WIDTH, int(height * scale)), interpolation=cv2.INTER_AREA)
    if evaluation.geometry is not None:
        box = evaluation.geometry.face
        colour = GREEN if evaluation.acceptable else RED
        top_left = (int(box.x * scale), int(box.y * scale))
        bottom_right = (int((box.x + box.w) * scale), int((box.y + box.h) * scale))
        cv2.rectangle(small, top_left, bottom_right, colour, 3)
    rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class PhotoPage(StepPage):
    step = "photo"

    def __init__(self, desk: DeskContext, wizard: EnrolmentWizard) -> None:
        super().__init__(desk, wizard)
        self._lane = Lane(1, "camera")  # one capture at a time on the camera
        self._cancel = threading.Event()
        self._running = False
        self._restart = False
        self._stored = False
        self._quality: int | None = None
        self._frame_waiting = threading.Event()
        self.last_evaluation: Evaluation | None = None
        self._bridge = _Bridge(self)
        self._bridge.frame_ready.connect(self._show_frame)

        self.preview = named(QLabel(), "photo_preview")
        self.preview.setFixedSize(PREVIEW_WIDTH, PREVIEW_WIDTH * 3 // 4)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #333; color: white")
        self.result = named(QLabel(), "photo_result")
        self.result.setFixedSize(175, 225)
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.checks = named(QListWidget(), "photo_checks")
        self.checks.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.status = named(QLabel(wordWrap=True), "photo_status")
        self.retake = named(QPushButton(self.tr("&Retake")), "retake")
        self.retake.setAutoDefault(False)

        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("Photo taken")))
        side.addWidget(self.result)
        side.addWidget(self.retake)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.preview)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(self.tr("What to correct:")))
        layout.addWidget(self.checks)
        self.retake.clicked.connect(self._retake)

    def title(self) -> str:
        return self.tr("Photo")

    def is_complete(self) -> bool:
        return self._stored

    def load(self, summary: ApplicationSummary) -> None:
        if summary.photo_jpeg:
            self._stored, self._quality = True, summary.photo_quality
            self._show_portrait(summary.photo_jpeg)
            self.show_ok(self.status, self.tr("The photo is stored."))

    def enter(self) -> None:
        if not self._stored and not self._running:
            self._start()
        self.retake.setFocus()

    def leave(self) -> None:
        self._cancel.set()

    def shutdown(self) -> None:
        self._restart = False
        self._cancel.set()

    def draft_data(self) -> dict[str, Any]:
        return {"quality": self._quality}

    # -- capture ---------------------------------------------------------------------------

    def _start(self) -> None:
        spec, devices = self.desk.settings.camera, self.desk.devices
        cancel = self._cancel = threading.Event()
        bridge, waiting = self._bridge, self._frame_waiting
        waiting.clear()
        self._running = True
        self.checks.clear()
        self.show_busy(self.status, self.tr("Starting the camera…"))

        def on_evaluation(frame: Frame, evaluation: Evaluation) -> None:
            if cancel.is_set():
                raise capture.PhotoCaptureCancelled()
            # Drop the preview when the GUI has not painted the previous one yet.
            if not waiting.is_set():
                waiting.set()
                bridge.frame_ready.emit(
                    annotate(frame.image, evaluation), evaluation, autocapture.progress
                )

        autocapture = AutoCapture()

        def take() -> CapturedPhoto:
            camera = devices.camera(spec)
            try:
                if cancel.is_set():
                    raise capture.PhotoCaptureCancelled()
                return capture.run_photo_capture(
                    camera, PhotoEvaluator(), autocapture, CAPTURE_TIMEOUT_S,
                    on_evaluation=on_evaluation, cancel=cancel,
                )  # fmt: skip
            finally:
                camera.close()

        self.jobs.run(take, self._taken, self._capture_failed, lane=self._lane)

    def _show_frame(self, image: QImage, evaluation: Evaluation, progress: int) -> None:
        self._frame_waiting.clear()
        if not self._running:
            return
        self.last_evaluation = evaluation
        self.preview.setPixmap(QPixmap.fromImage(image))
        failing = [r.message(self.desk.language) for r in evaluation.checks if not r.passed]
        # Repeated messages (several checks not measured for want of a face) are shown once.
        self.checks.clear()
        self.checks.addItems(list(dict.fromkeys(failing)))
        if evaluation.acceptable:
            self.show_ok(self.status, self.tr("All checks pass — hold still ({n})…").format(
                n=progress))  # fmt: skip
        else:
            self.show_busy(self.status, self.tr("Looking for an acceptable photo…"))

    def _taken(self, photo: CapturedPhoto) -> None:
        self._running = False
        self._show_portrait(photo.portrait_jpeg)
        self.checks.clear()
        self.show_busy(self.status, self.tr("Photo taken; storing…"))
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, self.application_id
        assert actor is not None and app_id is not None
        self._quality = capture.face_quality(photo.evaluation)
        self.jobs.run(
            lambda: capture.store_photo(ctx, actor, app_id, photo), self._stored_ok,
            self._store_failed,
        )  # fmt: skip

    def _stored_ok(self, _result: object) -> None:
        self._stored = True
        self.show_ok(self.status, self.tr("The photo is stored."))
        self.completeChanged.emit()
        self.wizard.focus_next()

    def _store_failed(self, error: Exception) -> None:
        self.show_error(self.status, error)

    def _capture_failed(self, error: Exception) -> None:
        self._running = False
        if self._restart:
            self._restart = False
            self._start()
            return
        if isinstance(error, capture.PhotoCaptureCancelled) or self._cancel.is_set():
            self.show_busy(self.status, self.tr("Camera stopped. Press Retake to start again."))
            return
        self.show_error(self.status, error)

    def _retake(self) -> None:
        if self._stored:
            self._stored = False
            self.completeChanged.emit()
        self.result.clear()
        if self._running:
            self._restart = True
            self._cancel.set()
        else:
            self._start()

    def _show_portrait(self, jpeg: bytes) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(jpeg)
        self.result.setPixmap(
            pixmap.scaled(
                self.result.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )  # fmt: skip
        )
