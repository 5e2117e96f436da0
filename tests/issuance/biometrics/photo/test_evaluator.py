"""The quality checks on real photographs: a good portrait passes, each defect fails by name."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.data
from matplotlib import cbook

from issuance.biometrics.photo import Check, PhotoThresholds, Verdict
from issuance.biometrics.photo.messages import failure_message
from issuance.biometrics.photo.thresholds import ICAO_9303_3, ISO_19794_5, ISO_29794_5
from tests.issuance.biometrics.photo import portraits


def failed(evaluation) -> set[str]:
    return {result.check.value for result in evaluation.failures}


def test_good_portrait_passes_every_check(evaluator, good_portrait):
    evaluation = evaluator.evaluate(good_portrait)
    assert failed(evaluation) == set()
    assert evaluation.acceptable
    assert len(evaluation.checks) == len(Check)
    for result in evaluation.checks:
        assert result.verdict is Verdict.PASS
        assert result.value is not None
        assert result.limit.accepts(result.value)


def test_good_camera_frame_passes(evaluator):
    evaluation = evaluator.evaluate(portraits.camera_frame())
    assert evaluation.acceptable, failed(evaluation)
    assert (evaluation.frame_width, evaluation.frame_height) == (640, 480)


def test_measured_geometry_matches_the_composition(evaluator, good_portrait):
    # The portrait was built with the head 75 % high, eyes 45 % down, face centred.
    evaluation = evaluator.evaluate(good_portrait)
    assert evaluation.value(Check.HEAD_SIZE) == pytest.approx(0.75, abs=0.05)
    assert evaluation.value(Check.HEAD_POSITION) == pytest.approx(0.45, abs=0.03)
    assert evaluation.value(Check.FACE_CENTRED) < 0.03
    assert evaluation.value(Check.EYES_FOUND) == 2


def rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height * 0.45), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def clutter_backdrop() -> np.ndarray:
    return cv2.cvtColor(skimage.data.immunohistochemistry(), cv2.COLOR_RGB2BGR)


# Where the good portrait's face is: it is composed with the face centred, the eyes 45 %
# down and the head 75 % of the 540 px height.
FACE_CENTRE_X, EYE_LINE_Y = 210, 243


def squeeze_one_half(image: np.ndarray, kept: float = 0.55) -> np.ndarray:
    """The image-right half of the head squeezed to ``kept`` of its width, the rest of the
    row pulled in after it: the far half of a head turned to the side looks narrower."""
    height, width = image.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    half = 150.0  # face centre to beyond the ear
    start = FACE_CENTRE_X - 5
    inside = start + (xs - start) / kept
    beyond = xs + half * (1 - kept)
    src = np.where(xs < start, xs, np.where(xs < start + half * kept, inside, beyond))
    return cv2.remap(
        image, src.astype(np.float32), ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def turned_sideways(image: np.ndarray, degrees: float = 30) -> np.ndarray:
    """The picture turned about a vertical axis (horizontal perspective warp)."""
    height, width = image.shape[:2]
    angle, focal = np.radians(degrees), 600.0

    def project(x: float, y: float) -> list[float]:
        depth = (x - width / 2) * np.sin(angle) + focal
        return [
            width / 2 + (x - width / 2) * np.cos(angle) * focal / depth,
            height / 2 + (y - height / 2) * focal / depth,
        ]

    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(corners, np.float32([project(*c) for c in corners]))
    return cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def face_area(image: np.ndarray) -> np.ndarray:
    """Soft 0..1 weight of the face (forehead to chin), the rest of the picture untouched."""
    mask = np.zeros(image.shape[:2], np.float32)
    cv2.ellipse(mask, (FACE_CENTRE_X, 250), (115, 165), 0, 0, 360, 1.0, thickness=-1)
    return cv2.GaussianBlur(mask, (0, 0), 8)[..., None]


def burnt_highlights(image: np.ndarray) -> np.ndarray:
    # The brightest fifth of the face blown out to white, as under a too-strong flash; the
    # mid-tones keep their level, so the face is not merely overexposed.
    lut = np.clip([v if v < 190 else 190 + (v - 190) * 3 for v in range(256)], 0, 255)
    burnt = cv2.LUT(image, lut.astype(np.uint8)).astype(np.float32)
    weight = face_area(image)
    return (burnt * weight + image * (1 - weight)).astype(np.uint8)


def crushed_shadows(image: np.ndarray) -> np.ndarray:
    # The darker part of the face (eye sockets, shadow side) gone to black, the rest kept.
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    gain = np.where(grey < 130, 0.03, 1.0)[..., None]
    weight = face_area(image)
    return (image * (gain * weight + 1 - weight)).astype(np.uint8)


VARIANTS = {
    "blurred": (lambda g: cv2.GaussianBlur(g, (0, 0), 3), Check.SHARPNESS),
    "dark": (lambda g: (g * 0.25).astype(np.uint8), Check.EXPOSURE),
    "overexposed": (lambda g: np.clip(g * 1.6, 0, 255).astype(np.uint8), Check.EXPOSURE),
    "off_centre": (
        lambda g: portraits.place(portraits.on_backdrop(), (420, 540), 0.75, centre_x=0.7),
        Check.FACE_CENTRED,
    ),
    "too_small": (
        lambda g: portraits.place(portraits.on_backdrop(), (420, 540), 0.35),
        Check.HEAD_SIZE,
    ),
    "rotated_20": (lambda g: rotate(g, 20), Check.EYES_LEVEL),
    "rotated_minus_20": (lambda g: rotate(g, -20), Check.EYES_LEVEL),
    "two_faces": (
        lambda g: np.hstack([portraits.place(portraits.on_backdrop(), (320, 540), 0.5)] * 2),
        Check.FACE_COUNT,
    ),
    "no_face": (lambda g: np.full_like(g, portraits.BACKDROP), Check.FACE_COUNT),
    "cluttered_background": (
        lambda g: portraits.place(portraits.on_backdrop(clutter_backdrop()), (420, 540), 0.75),
        Check.BACKGROUND_PLAIN,
    ),
    "dark_background": (
        lambda g: portraits.place(
            portraits.on_backdrop(np.full((512, 512, 3), 60, np.uint8)), (420, 540), 0.75
        ),
        Check.BACKGROUND_LIGHT,
    ),
    "grey_scale": (
        lambda g: cv2.cvtColor(cv2.cvtColor(g, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR),
        Check.COLOUR,
    ),
    "shadow_on_one_side": (
        lambda g: (g * np.linspace(1.0, 0.35, g.shape[1])[None, :, None]).astype(np.uint8),
        Check.EVEN_LIGHTING,
    ),
    "eyes_covered": (lambda g: cover_eyes(g), Check.EYES_FOUND),
    "head_turned": (squeeze_one_half, Check.FRONTAL),
    "turned_sideways": (turned_sideways, Check.FRONTAL),
    "eyes_too_high": (
        lambda g: portraits.place(portraits.on_backdrop(), (420, 540), 0.75, eyes_from_top=0.25),
        Check.HEAD_POSITION,
    ),
    "eyes_too_low": (
        lambda g: portraits.place(portraits.on_backdrop(), (420, 540), 0.75, eyes_from_top=0.58),
        Check.HEAD_POSITION,
    ),
    "burnt_highlights": (burnt_highlights, Check.CLIPPED_HIGHLIGHTS),
    "crushed_shadows": (crushed_shadows, Check.CLIPPED_SHADOWS),
}

# Variants that change one thing only: nothing but the named check may fail.
ONE_DEFECT = {
    "head_turned",
    "turned_sideways",
    "eyes_too_high",
    "eyes_too_low",
    "burnt_highlights",
    "crushed_shadows",
}


def cover_eyes(image: np.ndarray) -> np.ndarray:
    # A lock of hair over the image-left eye (eyes at 45 % of the height).
    covered = image.copy()
    height, width = image.shape[:2]
    y = int(0.45 * height)
    covered[y - 25 : y + 25, int(0.30 * width) : int(0.46 * width)] = (40, 80, 120)
    return covered


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_made_worse_variant_fails_for_the_right_reason(evaluator, good_portrait, name):
    make, reason = VARIANTS[name]
    assert evaluator.evaluate(good_portrait).acceptable  # the variant is the only change
    evaluation = evaluator.evaluate(make(good_portrait))
    assert not evaluation.acceptable
    result = evaluation.result(reason)
    assert result.verdict is Verdict.FAIL, (name, failed(evaluation))
    assert result.value is not None and not result.limit.accepts(result.value)
    assert result.message_sq and result.message_en and result.message_sq != result.message_en
    if name in ONE_DEFECT:
        assert failed(evaluation) == {reason.value}, name


def test_eye_line_failures_name_the_direction(evaluator, good_portrait):
    high = evaluator.evaluate(VARIANTS["eyes_too_high"][0](good_portrait))
    low = evaluator.evaluate(VARIANTS["eyes_too_low"][0](good_portrait))
    assert high.value(Check.HEAD_POSITION) == pytest.approx(0.25, abs=0.03)
    assert low.value(Check.HEAD_POSITION) == pytest.approx(0.58, abs=0.03)
    assert high.result(Check.HEAD_POSITION).message_en != low.result(Check.HEAD_POSITION).message_en


def test_a_turn_is_measured_in_degrees_from_the_landmarks(evaluator, good_portrait):
    # Yaw comes from the landmarks fitted to a generic head: a milder squeeze of one half of
    # the face reads less turned than a strong one, and moving the whole head sideways in the
    # frame (still facing the camera) does not read as a turn.
    frontal = evaluator.evaluate(good_portrait).value(Check.FRONTAL)
    mild = evaluator.evaluate(squeeze_one_half(good_portrait, 0.8)).value(Check.FRONTAL)
    strong = evaluator.evaluate(squeeze_one_half(good_portrait, 0.55)).value(Check.FRONTAL)
    assert frontal < 5 < 8 < strong
    assert frontal < mild < strong
    moved = portraits.place(portraits.on_backdrop(), (420, 540), 0.75, centre_x=0.6)
    assert evaluator.evaluate(moved).value(Check.FRONTAL) < 5


def test_counts_are_reported_as_values(evaluator, good_portrait):
    two = VARIANTS["two_faces"][0](good_portrait)
    assert evaluator.evaluate(two).value(Check.FACE_COUNT) == 2
    none = evaluator.evaluate(VARIANTS["no_face"][0](good_portrait))
    assert none.value(Check.FACE_COUNT) == 0
    # Without one face the face measures are not taken, and say why.
    sharpness = none.result(Check.SHARPNESS)
    assert sharpness.verdict is Verdict.NOT_MEASURED and "face" in sharpness.message_en


def test_overexposure_names_the_direction(evaluator, good_portrait):
    dark = evaluator.evaluate(VARIANTS["dark"][0](good_portrait)).result(Check.EXPOSURE)
    bright = evaluator.evaluate(VARIANTS["overexposed"][0](good_portrait)).result(Check.EXPOSURE)
    assert "dark" in dark.message_en and "errët" in dark.message_sq
    assert "bright" in bright.message_en and bright.message_sq != dark.message_sq


def test_roll_is_measured_close_to_the_applied_rotation(evaluator, good_portrait):
    upright = evaluator.evaluate(good_portrait).value(Check.EYES_LEVEL)
    turned = evaluator.evaluate(rotate(good_portrait, -20)).value(Check.EYES_LEVEL)
    assert upright < 8
    assert 12 < turned < 28


def test_grace_hopper_face_and_eyes_are_found(evaluator):
    # A second real person: her portrait is dark-backed, so it must fail the background.
    with cbook.get_sample_data("grace_hopper.jpg") as file:
        image = cv2.imdecode(np.frombuffer(file.read(), np.uint8), cv2.IMREAD_COLOR)
    evaluation = evaluator.evaluate(image)
    assert evaluation.value(Check.FACE_COUNT) == 1
    assert Check.BACKGROUND_PLAIN in {r.check for r in evaluation.failures}


def test_lfw_non_faces_have_no_face(evaluator):
    # lfw_subset: 100 faces then 100 non-faces, 25×25 grey; none of the non-faces is a face.
    images = skimage.data.lfw_subset()[100:110]
    for image in images:
        frame = cv2.resize((image * 255).astype(np.uint8), (240, 240))
        assert evaluator.evaluate(frame).value(Check.FACE_COUNT) == 0


def test_grey_frames_are_accepted_as_input_and_fail_colour(evaluator, good_portrait):
    grey = cv2.cvtColor(good_portrait, cv2.COLOR_BGR2GRAY)
    evaluation = evaluator.evaluate(grey)
    assert evaluation.result(Check.COLOUR).verdict is Verdict.FAIL


def test_every_threshold_names_its_standard():
    thresholds = PhotoThresholds()
    limits = [v for v in vars(thresholds).values() if hasattr(v, "source")]
    assert len(limits) == len(Check)  # one limit per check
    for limit in limits:
        assert any(std in limit.source for std in (ICAO_9303_3, ISO_19794_5, ISO_29794_5))


def test_every_check_has_failure_words_in_both_languages():
    for check in Check:
        for problem in ("low", "high"):
            sq, en = failure_message(check, problem)
            assert sq and en and sq != en


def test_thresholds_come_from_the_table(good_portrait):
    from issuance.biometrics.photo import PhotoEvaluator
    from issuance.biometrics.photo.thresholds import Limit

    strict = PhotoThresholds(sharpness=Limit(10_000.0, None, "", ISO_29794_5))
    evaluation = PhotoEvaluator(strict).evaluate(good_portrait)
    assert {r.check for r in evaluation.failures} == {Check.SHARPNESS}
    assert evaluation.result(Check.SHARPNESS).limit.low == 10_000.0
