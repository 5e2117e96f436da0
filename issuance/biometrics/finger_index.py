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

# Pairs 16 to 240 px apart at 500 ppi (0.8 to 12 mm), in 14 rings of 16 px.
_NEAREST, _RING, _RINGS = 16.0, 16.0, 14
_ANGLE_BINS = 8  # a power of two (see _sector)
DIMENSIONS = _RINGS * _ANGLE_BINS * _ANGLE_BINS
SHORTLIST = 40


def pair_histogram(finger: mnt.Minutiae) -> np.ndarray:
    """The finger's rotation- and translation-free pair histogram (unit length)."""
    return pair_histograms([finger])[0]


def pair_histograms(fingers: list[mnt.Minutiae], chunk: int = 256) -> np.ndarray:
    """``pair_histogram`` of many fingers at once (one row each): loading an index of 10,000
    people computes 40,000 of them, and numpy's per-call cost would dominate one by one."""
    rows = [_histograms(fingers[n : n + chunk]) for n in range(0, len(fingers), chunk)]
    return np.concatenate(rows) if rows else np.empty((0, DIMENSIONS), np.float32)


def _histograms(fingers: list[mnt.Minutiae]) -> np.ndarray:
    width = max((len(f) for f in fingers), default=0)
    counts = np.zeros((len(fingers), DIMENSIONS), np.float32)
    if width < 2:
        return counts
    points = np.zeros((len(fingers), width, 3), np.float32)
    present = np.zeros((len(fingers), width), bool)
    for row, finger in enumerate(fingers):
        if len(finger):
            points[row, : len(finger)] = np.asarray(finger.points, np.float32)[:, :3]
            present[row, : len(finger)] = True
    # LFS directions count 11.25° clockwise from "up"; as image angles (y grows downwards):
    theta = points[..., 2] * np.float32(math.pi / 16.0) - np.float32(math.pi / 2.0)
    i, j = np.triu_indices(width, k=1)
    xs, ys = points[..., 0], points[..., 1]
    dx, dy = xs[:, j] - xs[:, i], ys[:, j] - ys[:, i]
    ring = ((np.hypot(dx, dy) - _NEAREST) * np.float32(1.0 / _RING)).astype(np.int32)
    keep = present[:, i] & present[:, j] & (dx * dx + dy * dy >= _NEAREST**2) & (ring < _RINGS)
    line = np.arctan2(dy, dx)
    # The same pair seen from either end: order the two angles so the histogram is symmetric.
    a = _sector(theta[:, i] - line)
    b = _sector(theta[:, j] - line - np.float32(math.pi))
    cells = (ring * _ANGLE_BINS + np.minimum(a, b)) * _ANGLE_BINS + np.maximum(a, b)
    owner = np.broadcast_to(np.arange(len(fingers))[:, None], cells.shape)
    flat = (owner * DIMENSIONS + cells)[keep]
    counts = np.bincount(flat, minlength=len(fingers) * DIMENSIONS).astype(np.float32)
    vectors = np.sqrt(counts.reshape(len(fingers), DIMENSIONS))  # no dense cell decides alone
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _sector(angle: np.ndarray) -> np.ndarray:
    """Which of the ``_ANGLE_BINS`` sectors of the full turn ``angle`` (radians) falls in."""
    sector = np.floor(angle * np.float32(_ANGLE_BINS / (2 * math.pi))).astype(np.int32)
    return sector & (_ANGLE_BINS - 1)  # modulo a power of two, negative angles included


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
    fingers: list[mnt.Minutiae] = field(default_factory=list)
    count: int = 0

    def add_many(self, keys: list[int], fingers: list[mnt.Minutiae]) -> None:
        needed = self.count + len(keys)
        if needed > len(self.vectors):  # grow by doubling: appends stay cheap
            size = max(1024, 2 * len(self.vectors), needed)
            bigger = np.zeros((size, DIMENSIONS), np.float32)
            bigger[: self.count] = self.vectors[: self.count]
            self.vectors = bigger
        self.vectors[self.count : needed] = pair_histograms(fingers)
        self.keys.extend(keys)
        self.fingers.extend(fingers)
        self.count = needed

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
        self.add_many([(key, position, finger) for position, finger in fingers.items()])

    def add_many(self, entries: list[tuple[int, str, mnt.Minutiae]]) -> None:
        """Adds (key, position, minutiae) entries, computed together."""
        by_position: dict[str, tuple[list[int], list[mnt.Minutiae]]] = {}
        for key, position, finger in entries:
            keys, fingers = by_position.setdefault(position, ([], []))
            keys.append(key)
            fingers.append(finger)
        with self._lock:
            for position, (keys, fingers) in by_position.items():
                self._positions.setdefault(position, _Position()).add_many(keys, fingers)
            self._keys.update(key for key, _, _ in entries)

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
                candidates = [(enrolled.keys[r], enrolled.fingers[r]) for r in rows]
            native = finger.native()
            for key, other in candidates:
                score = mnt.score(native, other.native())
                if score >= threshold:
                    best[key] = max(best.get(key, 0), score)
                    matched.setdefault(key, []).append(position)
        return sorted(
            (FingerMatch(key, best[key], tuple(matched[key])) for key in best),
            key=lambda m: (-m.score, m.key),
        )
