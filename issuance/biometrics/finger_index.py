"""Every enrolled finger in memory: a 1:N fingerprint search in two stages.

BOZORTH3 takes about 2 ms per comparison, so comparing a probe with every finger of 10,000
people would take a minute. The search therefore first ranks the enrolled fingers of the same
position by a vector that neither shifting nor turning the finger changes: the histogram of
its minutia pairs (their distance, and the angle each minutia makes with the line joining
them), compared with every enrolled one as one matrix product. BOZORTH3 then scores only the
``shortlist`` best-ranked fingers per position (an indexing stage, as large AFIS do), and a
person matches when any finger scores ``SAME_FINGER_SCORE`` or more.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np

from issuance.biometrics import minutiae as mnt

_DISTANCE_BINS = np.linspace(16.0, 240.0, 15)  # pixels at 500 ppi: 14 rings
_ANGLE_BINS = 8
DIMENSIONS = 14 * _ANGLE_BINS * _ANGLE_BINS
SHORTLIST = 40


def pair_histogram(finger: mnt.Minutiae) -> np.ndarray:
    """The finger's rotation- and translation-free pair histogram (unit length)."""
    vector = np.zeros(DIMENSIONS, np.float32)
    if len(finger) < 2:
        return vector
    points = np.asarray(finger.points, np.float32)
    xy = points[:, :2]
    # LFS directions count 11.25° clockwise from "up"; as image angles (y grows downwards):
    theta = (points[:, 2] * (math.pi / 16.0) - math.pi / 2.0) % (2 * math.pi)
    i, j = np.triu_indices(len(points), k=1)
    delta = xy[j] - xy[i]
    distance = np.hypot(delta[:, 0], delta[:, 1])
    ring = np.searchsorted(_DISTANCE_BINS, distance) - 1
    keep = (ring >= 0) & (ring < len(_DISTANCE_BINS) - 1)
    i, j, ring, delta = i[keep], j[keep], ring[keep], delta[keep]
    line = np.arctan2(delta[:, 1], delta[:, 0])
    # The same pair seen from either end: order the two angles so the histogram is symmetric.
    a = _sector(theta[i] - line)
    b = _sector(theta[j] - line - math.pi)
    low, high = np.minimum(a, b), np.maximum(a, b)
    cells = (ring * _ANGLE_BINS + low) * _ANGLE_BINS + high
    np.add.at(vector, cells, 1.0)
    vector = np.sqrt(vector)  # a few dense cells must not decide alone
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _sector(angle: np.ndarray) -> np.ndarray:
    turns = (angle % (2 * math.pi)) / (2 * math.pi)
    return np.minimum((turns * _ANGLE_BINS).astype(np.int64), _ANGLE_BINS - 1)


@dataclass(frozen=True)
class FingerMatch:
    key: int  # the application the fingers belong to
    score: int  # BOZORTH3's best score over the fingers compared
    positions: tuple[str, ...]  # the fingers that scored SAME_FINGER_SCORE or more


@dataclass
class _Position:
    """The enrolled fingers of one position (say, every right index finger)."""

    vectors: np.ndarray = field(default_factory=lambda: np.empty((0, DIMENSIONS), np.float32))
    keys: list[int] = field(default_factory=list)
    templates: list[mnt.NativeTemplate] = field(default_factory=list)
    count: int = 0

    def add(self, key: int, finger: mnt.Minutiae) -> None:
        if self.count == len(self.vectors):  # grow by doubling: appends stay cheap
            bigger = np.zeros((max(1024, 2 * len(self.vectors)), DIMENSIONS), np.float32)
            bigger[: self.count] = self.vectors[: self.count]
            self.vectors = bigger
        self.vectors[self.count] = pair_histogram(finger)
        self.keys.append(key)
        self.templates.append(finger.native())
        self.count += 1

    def shortlist(self, probe: np.ndarray, size: int) -> np.ndarray:
        similarity = self.vectors[: self.count] @ probe
        if self.count <= size:
            return np.arange(self.count)
        return np.argpartition(-similarity, size)[:size]


class FingerIndex:
    """Application ids with their fingers' minutiae, by finger position. Thread-safe."""

    def __init__(self, shortlist: int = SHORTLIST) -> None:
        self._positions: dict[str, _Position] = {}
        self._keys: set[int] = set()
        self._shortlist = shortlist
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: int) -> bool:
        return key in self._keys

    def add(self, key: int, fingers: dict[str, mnt.Minutiae]) -> None:
        with self._lock:
            for position, finger in fingers.items():
                self._positions.setdefault(position, _Position()).add(key, finger)
            self._keys.add(key)

    def search(
        self, probe: dict[str, mnt.Minutiae], *, threshold: int = mnt.SAME_FINGER_SCORE
    ) -> list[FingerMatch]:
        """Every key with a finger scoring ``threshold`` or more, best first."""
        best: dict[int, int] = {}
        matched: dict[int, list[str]] = {}
        for position, finger in probe.items():
            with self._lock:
                enrolled = self._positions.get(position)
                if enrolled is None or not enrolled.count:
                    continue
                rows = enrolled.shortlist(pair_histogram(finger), self._shortlist)
                candidates = [(enrolled.keys[r], enrolled.templates[r]) for r in rows]
            native = finger.native()
            for key, template in candidates:
                score = mnt.score(native, template)
                if score >= threshold:
                    best[key] = max(best.get(key, 0), score)
                    matched.setdefault(key, []).append(position)
        return sorted(
            (FingerMatch(key, best[key], tuple(matched[key])) for key in best),
            key=lambda m: (-m.score, m.key),
        )
