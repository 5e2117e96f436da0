"""NIST's MINDTCT and BOZORTH3 (NBIS, built by make) on fingers with real ridge structure:
the SBI simulator's synthetic fingers, placed again, turned, or of other people."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from devtools.sbi_simulator.synthetic import render_finger
from issuance.biometrics import finger_index, minutiae

FINGERS = ("Right IndexFinger", "Left Thumb")


def _turned(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, turn, (w, h), borderValue=245)


@pytest.fixture(scope="module")
def gallery() -> dict[tuple[int, str], minutiae.Minutiae]:
    return {
        (seed, finger): minutiae.extract(render_finger(seed, finger, 0))
        for seed in range(1, 9)
        for finger in FINGERS
    }


def test_the_library_is_built_and_found():
    assert minutiae.available() and minutiae.library_path().name == "libafis_lfs.so"


def test_the_same_finger_placed_again_scores_far_above_nists_threshold(gallery):
    for (seed, finger), enrolled in gallery.items():
        assert len(enrolled) >= minutiae.MIN_MINUTIAE
        again = minutiae.extract(_turned(render_finger(seed, finger, 1), 12 if seed % 2 else 0))
        assert minutiae.score(again.native(), enrolled.native()) > 3 * minutiae.SAME_FINGER_SCORE


def test_other_fingers_score_below_nists_threshold(gallery):
    probe = minutiae.extract(render_finger(1, FINGERS[0], 1))
    others = [m for key, m in gallery.items() if key != (1, FINGERS[0])]
    scores = [minutiae.score(probe.native(), other.native()) for other in others]
    assert max(scores) < minutiae.SAME_FINGER_SCORE, scores


def test_a_blank_or_smudged_image_gives_too_few_minutiae_to_compare():
    assert len(minutiae.extract(np.full((370, 270), 245, np.uint8))) < minutiae.MIN_MINUTIAE


def test_minutiae_are_stored_exactly_and_anything_else_is_refused(gallery):
    finger = gallery[(2, FINGERS[1])]
    assert minutiae.Minutiae.from_bytes(finger.to_bytes()) == finger
    data = finger.to_bytes()
    for broken in (b"", data[:-1], b"XXXX" + data[4:], data + b"\0"):
        with pytest.raises(ValueError):
            minutiae.Minutiae.from_bytes(broken)
    with pytest.raises(ValueError):
        minutiae.extract(np.zeros((10, 10, 3), np.uint8))


def test_the_pair_histogram_ignores_where_the_finger_lies_and_how_it_is_turned(gallery):
    finger = gallery[(3, FINGERS[0])]
    # A quarter turn clockwise about the origin and a shift: x, y -> -y + 400, x + 50; LFS
    # directions count clockwise in 11.25° steps, so +8.
    moved = minutiae.Minutiae(
        finger.width, finger.height,
        tuple((400 - y, x + 50, (d + 8) % 32, k, r) for x, y, d, k, r in finger.points),
    )  # fmt: skip
    same = float(finger_index.pair_histogram(finger) @ finger_index.pair_histogram(moved))
    other = float(
        finger_index.pair_histogram(finger) @ finger_index.pair_histogram(gallery[(4, FINGERS[0])])
    )
    assert same > 0.99 and other < 0.9


def test_the_index_finds_the_person_by_any_finger_and_no_one_else(gallery):
    index = finger_index.FingerIndex(shortlist=3)
    for seed in range(1, 9):
        index.add(
            seed * 100,
            {"right_index": gallery[(seed, FINGERS[0])], "left_thumb": gallery[(seed, FINGERS[1])]},
        )
    assert len(index) == 8 and 500 in index
    probe = {"left_thumb": minutiae.extract(render_finger(5, FINGERS[1], 2))}
    [match] = index.search(probe)
    assert (match.key, match.positions) == (500, ("left_thumb",))
    assert match.score >= minutiae.SAME_FINGER_SCORE
    # A finger nobody enrolled, and a position nobody enrolled: nothing.
    assert index.search({"right_index": minutiae.extract(render_finger(99, FINGERS[0], 0))}) == []
    assert index.search({"right_thumb": gallery[(5, FINGERS[1])]}) == []
