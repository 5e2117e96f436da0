"""The in-memory face index against a brute-force search, and real portraits through dlib."""

from __future__ import annotations

import numpy as np
import pytest

from issuance.biometrics import face_embedding
from issuance.biometrics.face_embedding import SAME_PERSON_DISTANCE, embed_jpeg
from issuance.biometrics.face_index import FaceIndex
from tests.support import people


def test_search_finds_exactly_the_vectors_within_the_threshold_closest_first():
    rng = np.random.default_rng(7)
    vectors = rng.normal(0, 0.09, (3000, 128)).astype(np.float32)
    index = FaceIndex()
    index.add_many(list(range(1000, 4000)), vectors[:3000])
    probe = vectors[1234] + rng.normal(0, 0.01, 128).astype(np.float32)
    distances = np.linalg.norm(vectors - probe, axis=1)
    expected = [1000 + i for i in np.argsort(distances) if distances[i] <= 1.4]
    found = index.search(probe, threshold=1.4)
    assert [m.key for m in found] == expected
    assert found[0].key == 2234 and found[0].distance == pytest.approx(distances[1234], abs=1e-4)
    assert len(index) == 3000 and 2234 in index and 999 not in index


def test_appending_one_by_one_grows_the_matrix_and_keeps_earlier_vectors():
    index = FaceIndex()
    rng = np.random.default_rng(3)
    vectors = rng.normal(0, 0.09, (2500, 128)).astype(np.float32)  # |v| about 1, as dlib
    for key, vector in enumerate(vectors):
        index.add(key, vector)
    assert len(index) == 2500
    for key in (0, 1023, 1024, 2499):
        assert index.search(vectors[key], threshold=0.01)[0].key == key


def test_empty_index_finds_nothing_and_scores_fall_with_distance():
    assert FaceIndex().search(np.zeros(128, np.float32)) == []
    index = FaceIndex()
    index.add(1, np.zeros(128, np.float32))
    near, far = np.zeros(128, np.float32), np.zeros(128, np.float32)
    near[0], far[0] = 0.1, 0.5
    assert index.search(near)[0].score > index.search(far)[0].score > 0
    beyond = np.zeros(128, np.float32)
    beyond[0] = SAME_PERSON_DISTANCE + 0.01
    assert index.search(beyond) == []


def test_real_portraits_one_person_matches_herself_and_not_another():
    astronaut = embed_jpeg(people.astronaut_jpeg(0))
    recoloured = embed_jpeg(people.astronaut_jpeg(3))
    hopper = embed_jpeg(people.grace_hopper_jpeg())
    assert astronaut is not None and recoloured is not None and hopper is not None
    assert np.linalg.norm(astronaut - recoloured) < SAME_PERSON_DISTANCE
    assert np.linalg.norm(astronaut - hopper) > SAME_PERSON_DISTANCE


def test_an_image_without_a_face_or_not_an_image_gives_no_vector():
    assert embed_jpeg(people.jpeg(np.full((300, 240, 3), 200, np.uint8))) is None
    assert embed_jpeg(b"not an image") is None


def test_stored_form_is_128_float32_and_refuses_other_lengths():
    vector = np.arange(128, dtype=np.float32) / 100
    assert np.array_equal(face_embedding.from_bytes(face_embedding.to_bytes(vector)), vector)
    with pytest.raises(ValueError):
        face_embedding.from_bytes(b"\0" * 100)
