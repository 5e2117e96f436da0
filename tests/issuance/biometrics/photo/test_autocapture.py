"""Auto-capture: pure logic over evaluations, the ICAO crop and the chip-size JPEG."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from issuance.biometrics.photo import AutoCapture, Check, PhotoThresholds, PortraitLayout, chip_jpeg
from issuance.biometrics.photo.errors import ChipImageTooLarge, NoFaceForPortrait
from issuance.biometrics.photo.portrait import portrait_crop
from tests.issuance.biometrics.photo import portraits


def decode(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image


@pytest.fixture(scope="module")
def frames():
    good = portraits.camera_frame()
    softer = cv2.GaussianBlur(good, (0, 0), 0.6)  # still passes, but less sharp
    bad = portraits.camera_frame(centre_x=0.75)
    return good, softer, bad


def test_needs_n_passing_frames_in_a_row(evaluator, frames):
    good, softer, bad = frames
    ev_good, ev_soft, ev_bad = (evaluator.evaluate(f) for f in frames)
    assert ev_good.acceptable and ev_soft.acceptable and not ev_bad.acceptable
    capture = AutoCapture(required_frames=3)
    assert capture.feed(softer, ev_soft) is None
    assert capture.feed(softer, ev_soft) is None
    assert capture.feed(bad, ev_bad) is None  # a failing frame restarts the run
    assert capture.progress == 0
    assert capture.feed(softer, ev_soft) is None
    assert capture.feed(good, ev_good) is None
    assert capture.progress == 2
    photo = capture.feed(softer, ev_soft)
    assert photo is not None
    # The sharpest frame of the run is kept, not the last one.
    assert photo.evaluation is ev_good
    assert np.array_equal(photo.frame, good)
    # Done until reset.
    assert capture.feed(good, ev_good) is None and capture.captured is photo
    capture.reset()
    assert capture.captured is None and capture.progress == 0


def test_default_run_is_five_frames(evaluator, frames):
    good = frames[0]
    evaluation = evaluator.evaluate(good)
    capture = AutoCapture()
    assert PhotoThresholds().consecutive_frames == 5
    results = [capture.feed(good, evaluation) for _ in range(5)]
    assert results[:4] == [None] * 4 and results[4] is not None


def test_run_length_and_layout_come_from_the_thresholds_table(evaluator, frames):
    good = frames[0]
    evaluation = evaluator.evaluate(good)
    table = PhotoThresholds(
        consecutive_frames=2, layout=PortraitLayout(archive_height=480, chip_height=240)
    )
    capture = AutoCapture(thresholds=table)
    assert capture.feed(good, evaluation) is None
    photo = capture.feed(good, evaluation)
    assert photo is not None  # two frames, not the default five
    assert photo.portrait.shape[0] == 480
    assert decode(photo.chip_jpeg).shape[0] == 240
    longer = AutoCapture(thresholds=PhotoThresholds(consecutive_frames=7))
    assert [longer.feed(good, evaluation) for _ in range(6)] == [None] * 6
    assert longer.feed(good, evaluation) is not None
    # An explicit argument still wins over the table.
    assert AutoCapture(3, thresholds=table).required_frames == 3


def test_portrait_is_icao_shaped_with_the_face_placed(evaluator, frames):
    layout = PortraitLayout()
    evaluation = evaluator.evaluate(frames[0])
    portrait = portrait_crop(frames[0], evaluation.geometry, layout)
    height, width = portrait.shape[:2]
    assert height == layout.archive_height
    assert width / height == pytest.approx(35 / 45, abs=0.003)
    # The cut portrait itself satisfies the checks, head and eyes where ICAO puts them.
    again = evaluator.evaluate(portrait)
    assert again.acceptable, [r.check.value for r in again.failures]
    assert 0.70 <= again.value(Check.HEAD_SIZE) <= 0.80
    assert again.value(Check.HEAD_POSITION) == pytest.approx(layout.eye_line_from_top, abs=0.03)


def test_portrait_needs_a_face(frames):
    with pytest.raises(NoFaceForPortrait):
        portrait_crop(frames[0], None)


def test_chip_jpeg_lowers_quality_then_size_to_fit():
    rng = np.random.default_rng(7)
    noise = rng.integers(0, 256, (720, 560, 3), dtype=np.uint8)  # barely compressible
    data = chip_jpeg(noise, PortraitLayout(chip_max_bytes=3_000))
    assert len(data) < 3_000
    assert decode(data).shape[0] < 320  # even the lowest quality was too big: made smaller
    easy = portraits.good_portrait()
    data = chip_jpeg(easy)
    assert len(data) < 20_000 and decode(data).shape[0] == 320


def test_chip_jpeg_refuses_an_impossible_budget():
    rng = np.random.default_rng(7)
    noise = rng.integers(0, 256, (720, 560, 3), dtype=np.uint8)
    with pytest.raises(ChipImageTooLarge):
        chip_jpeg(noise, PortraitLayout(chip_max_bytes=500))
