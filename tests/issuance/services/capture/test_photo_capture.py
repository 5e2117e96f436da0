"""Driving a camera to an automatic photo, and photos brought as files."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import open_camera
from issuance.biometrics.photo import AutoCapture, Check
from issuance.biometrics.photo.errors import UnreadablePhoto
from issuance.ports.camera import CameraState
from issuance.ports.camera_errors import CameraNotReady
from issuance.services import capture
from tests.issuance.biometrics.photo import portraits
from tests.issuance.services.capture.conftest import write_sequence


def test_photo_is_taken_after_enough_good_frames(sitting_down, evaluator):
    seen = []
    camera = open_camera(sitting_down, fps=60)
    try:
        photo = capture.run_photo_capture(
            camera, evaluator, AutoCapture(required_frames=5), timeout_s=20,
            on_evaluation=lambda frame, evaluation: seen.append(evaluation.acceptable),
        )  # fmt: skip
        # Stopped for the next applicant, not closed.
        assert camera.status.state is CameraState.CONNECTED
    finally:
        camera.close()
    assert seen[-5:] == [True] * 5 and False in seen  # the first frames were refused
    assert photo.evaluation.acceptable
    assert len(photo.chip_jpeg) < 20_000 and photo.portrait_jpeg.startswith(b"\xff\xd8\xff")


def test_timeout_names_the_failing_checks(never_centred, evaluator):
    camera = open_camera(never_centred, fps=60)
    started = time.monotonic()
    try:
        with pytest.raises(capture.PhotoCaptureTimedOut) as caught:
            capture.run_photo_capture(camera, evaluator, AutoCapture(), timeout_s=1.0)
        assert camera.status.state is CameraState.CONNECTED
    finally:
        camera.close()
    assert 1.0 <= time.monotonic() - started < 5.0
    error = caught.value
    assert error.failing_checks == (Check.FACE_CENTRED,)
    assert error.frames > 0
    assert "within 1 seconds" in error.message("en")
    assert "The face is not centred; move left or right." in error.message("en")
    assert "Fytyra nuk është në qendër" in error.message("sq")


def test_cancel_stops_the_capture_within_a_poll(never_centred, evaluator):
    camera = open_camera(never_centred, fps=60)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    try:
        with pytest.raises(capture.PhotoCaptureCancelled):
            capture.run_photo_capture(
                camera, evaluator, AutoCapture(), timeout_s=30, cancel=cancel
            )
        assert camera.status.state is CameraState.CONNECTED  # stopped, ready for a retake
    finally:
        camera.close()
    assert time.monotonic() - started < 2.0


def test_camera_failing_while_streaming_is_a_clear_error(tmp_path: Path, evaluator):
    folder = tmp_path / "frames"
    spec = write_sequence(folder, [portraits.camera_frame(centre_x=0.75)] * 2)
    camera = open_camera(spec, fps=60)

    def unplug(frame, evaluation):
        # The source disappears under the camera, as an unplugged device does.
        for file in folder.iterdir():
            file.unlink()

    try:
        with pytest.raises(capture.CameraFailed) as caught:
            capture.run_photo_capture(
                camera, evaluator, AutoCapture(), timeout_s=10, on_evaluation=unplug
            )
    finally:
        camera.close()
    assert caught.value.status.state is CameraState.ERROR
    assert "stopped delivering frames" in caught.value.message("en")
    assert "nuk jep më pamje" in caught.value.message("sq")


def test_camera_that_cannot_open_is_refused_at_once(tmp_path: Path, evaluator):
    camera = open_camera(f"file:{tmp_path / 'nothing.avi'}")
    assert camera.status.state is CameraState.ERROR
    with pytest.raises(CameraNotReady) as caught:
        capture.run_photo_capture(camera, evaluator, AutoCapture(), timeout_s=10)
    assert "could not be opened" in caught.value.message("en")


def test_photo_from_a_file_is_checked_and_cut(tmp_path: Path, evaluator):
    good = tmp_path / "fotografia e Çelës.jpg"  # read through bytes: any file name works
    assert cv2.imwrite(str(good), portraits.camera_frame(), [cv2.IMWRITE_JPEG_QUALITY, 95])
    photo = capture.photo_from_file(good, evaluator)
    portrait = cv2.imdecode(np.frombuffer(photo.portrait_jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert abs(portrait.shape[1] / portrait.shape[0] - 35 / 45) < 0.005
    assert evaluator.evaluate(portrait).acceptable
    assert len(photo.chip_jpeg) < 20_000


def test_photo_from_a_file_that_fails_names_the_checks(tmp_path: Path, evaluator):
    cluttered = tmp_path / "cluttered.png"
    assert cv2.imwrite(str(cluttered), portraits.place(portraits.astronaut(), (640, 480), 0.7))
    with pytest.raises(capture.PhotoNotAcceptable) as caught:
        capture.photo_from_file(cluttered, evaluator)
    assert Check.BACKGROUND_PLAIN in caught.value.failing_checks
    assert "plain backdrop" in caught.value.message("en")


def test_photo_from_a_file_that_is_no_image(tmp_path: Path, evaluator):
    text = tmp_path / "photo.jpg"
    text.write_text("not a picture", encoding="utf-8")
    with pytest.raises(UnreadablePhoto):
        capture.photo_from_file(text, evaluator)
