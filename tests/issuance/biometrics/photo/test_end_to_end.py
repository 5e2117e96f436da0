"""A fake camera (an image sequence through the file: backend) drives auto-capture end to end."""

from __future__ import annotations

import queue

import cv2
import numpy as np

from devices.camera import open_camera
from issuance.biometrics.photo import AutoCapture, Check
from issuance.ports.camera import CameraState
from tests.issuance.biometrics.photo import portraits


def test_camera_to_portrait_and_chip(tmp_path, evaluator):
    # The applicant sits down (off-centre, then too far), then holds still in place.
    sequence = [portraits.camera_frame(centre_x=0.75), portraits.camera_frame(head_ratio=0.35)]
    sequence += [portraits.camera_frame()] * 6
    for index, frame in enumerate(sequence):
        cv2.imwrite(str(tmp_path / f"frame_{index:03d}.png"), frame)

    capture = AutoCapture(required_frames=5)
    frames: queue.Queue = queue.Queue(maxsize=4)
    camera = open_camera(f"file:{tmp_path / 'frame_%03d.png'}", fps=60)
    assert camera.status.state is CameraState.CONNECTED
    camera.start(frames)
    photo = None
    verdicts = []
    try:
        for _ in range(40):
            frame = frames.get(timeout=5)
            evaluation = evaluator.evaluate(frame.image)
            verdicts.append(evaluation.acceptable)
            photo = capture.feed(frame.image, evaluation)
            if photo is not None:
                break
    finally:
        camera.close()
    assert photo is not None, verdicts
    assert verdicts[-5:] == [True] * 5

    portrait = cv2.imdecode(np.frombuffer(photo.portrait_jpeg, np.uint8), cv2.IMREAD_COLOR)
    height, width = portrait.shape[:2]
    assert abs(width / height - 35 / 45) < 0.005
    assert evaluator.evaluate(portrait).value(Check.FACE_COUNT) == 1
    assert evaluator.evaluate(portrait).acceptable

    assert len(photo.chip_jpeg) < 20_000
    chip = cv2.imdecode(np.frombuffer(photo.chip_jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert abs(chip.shape[1] / chip.shape[0] - 35 / 45) < 0.01
    assert evaluator.evaluate(chip).value(Check.FACE_COUNT) == 1
