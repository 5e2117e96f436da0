"""Each demo look is its own face, the same every time, and passes the desk's photo checks."""

from __future__ import annotations

import itertools

import numpy as np

from devtools import portraits
from issuance.services import capture


def test_each_look_is_a_face_of_its_own_that_the_photo_checks_accept():
    faces = [portraits.resident_portrait(v).astype(np.float32) for v in range(portraits.LOOKS)]
    for a, b in itertools.combinations(range(portraits.LOOKS), 2):
        assert float(np.mean(np.abs(faces[a] - faces[b]))) > 8.0, (a, b)
    for v in range(portraits.LOOKS):
        capture.photo_from_image(portraits.resident_portrait(v))  # raises when not acceptable


def test_the_same_look_is_the_same_face():
    assert np.array_equal(portraits.resident_portrait(3), portraits.resident_portrait(3))
