"""Every enrolled face vector in memory as one matrix: a 1:N search is one matrix product.

With ``|a - b|² = |a|² + |b|² - 2 a·b`` the distances of one probe to N vectors take one
(N × 128) · (128) product; 100,000 faces take a few milliseconds on one core
(``bench/dedup.py``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from issuance.biometrics.face_embedding import DIMENSIONS, SAME_PERSON_DISTANCE


@dataclass(frozen=True)
class FaceMatch:
    key: int  # the application the vector belongs to
    distance: float

    @property
    def score(self) -> float:
        """Similarity shown to the supervisor: 1 at distance 0, 0 at dlib's threshold."""
        return max(0.0, 1.0 - self.distance / SAME_PERSON_DISTANCE)


class FaceIndex:
    """Keys (application ids) with their vectors; grows by appending. Thread-safe."""

    def __init__(self) -> None:
        self._matrix = np.empty((0, DIMENSIONS), np.float32)
        self._norms = np.empty(0, np.float32)
        self._keys = np.empty(0, np.int64)
        self._count = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: int) -> bool:
        return bool(np.any(self._keys[: self._count] == key))

    def add(self, key: int, vector: np.ndarray) -> None:
        self.add_many([key], np.asarray(vector, np.float32).reshape(1, DIMENSIONS))

    def add_many(self, keys: list[int], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, np.float32).reshape(-1, DIMENSIONS)
        with self._lock:
            needed = self._count + len(keys)
            if needed > len(self._matrix):  # grow by doubling: appends stay cheap
                size = max(needed, 2 * len(self._matrix), 1024)
                self._matrix = _grown(self._matrix, (size, DIMENSIONS))
                self._norms = _grown(self._norms, (size,))
                self._keys = _grown(self._keys, (size,))
            end = self._count + len(keys)
            self._matrix[self._count : end] = vectors
            self._norms[self._count : end] = np.einsum("ij,ij->i", vectors, vectors)
            self._keys[self._count : end] = keys
            self._count = end

    def search(
        self, probe: np.ndarray, *, threshold: float = SAME_PERSON_DISTANCE
    ) -> list[FaceMatch]:
        """Every key whose vector lies within ``threshold`` of ``probe``, closest first."""
        probe = np.asarray(probe, np.float32).reshape(DIMENSIONS)
        with self._lock:
            n = self._count
            matrix, norms, keys = self._matrix[:n], self._norms[:n], self._keys[:n]
            squared = norms + float(probe @ probe) - 2.0 * (matrix @ probe)
        close = np.flatnonzero(squared <= threshold * threshold)
        distances = np.sqrt(np.maximum(squared[close], 0.0))
        order = np.argsort(distances, kind="stable")
        return [FaceMatch(int(keys[close[i]]), float(distances[i])) for i in order]


def _grown(array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    bigger = np.zeros(shape, array.dtype)
    bigger[: len(array)] = array
    return bigger
