"""Time of one 1:N face search among 100,000 enrolled faces and of one fingerprint search among
10,000 enrolled people (thumbs and index fingers), on one core.

The enrolled vectors are real dlib face vectors (the astronaut's demo looks and Grace Hopper)
spread with noise of the spread real faces have, so the index does the work a full office
database would make it do: one (100,000 × 128) matrix product, the threshold and the sort of
the few matches. Target: < 1 s (it takes milliseconds).

Fingerprints: the minutiae MINDTCT finds in the SBI simulator's fingers of 20 people. Each of
the 10,000 enrolled people gets, per finger, one of those fingers' minutiae moved by up to
25 px and with their directions drawn again (as many minutiae, spread over the same area,
but no two enrolled fingers the same finger); person 0 is enrolled with their real fingers and
is the one to find, from another placement of their fingers. The search is what submission
does: the pair-histogram shortlist per finger, then NIST's BOZORTH3 on the shortlist.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools.sbi_simulator.synthetic import render_finger  # noqa: E402
from issuance.biometrics import minutiae  # noqa: E402
from issuance.biometrics.face_embedding import embed_jpeg  # noqa: E402
from issuance.biometrics.face_index import FaceIndex  # noqa: E402
from issuance.biometrics.finger_index import FingerIndex  # noqa: E402
from tests.support import people  # noqa: E402

ENROLLED = 100_000
SEARCHES = 20
PEOPLE = 10_000
REAL_PEOPLE = 20
FINGERS = {
    "right_thumb": "Right Thumb", "right_index": "Right IndexFinger",
    "left_thumb": "Left Thumb", "left_index": "Left IndexFinger",
}  # fmt: skip


def main() -> None:
    faces()
    fingerprints()


def faces() -> None:
    seeds = [embed_jpeg(people.astronaut_jpeg(look)) for look in range(6)]
    seeds.append(embed_jpeg(people.grace_hopper_jpeg()))
    real = np.array([s for s in seeds if s is not None], np.float32)
    rng = np.random.default_rng(2026)
    # Different people lie about 0.9 apart with this model: each enrolled face is a real one
    # moved that far in a random direction (so the probe, a real face, matches almost none).
    base = real[rng.integers(0, len(real), ENROLLED)]
    enrolled = base + rng.normal(0, 0.9 / np.sqrt(128), base.shape).astype(np.float32)
    index = FaceIndex()
    start = time.perf_counter()
    index.add_many(list(range(ENROLLED)), enrolled)
    loaded = time.perf_counter() - start
    probe = real[0]
    index.search(probe)
    times = []
    for _ in range(SEARCHES):
        start = time.perf_counter()
        matches = index.search(probe)
        times.append(time.perf_counter() - start)
    print(f"faces: {ENROLLED:,} enrolled, loaded into the index in {loaded * 1000:.0f} ms")
    print(
        f"faces: one 1:N search {np.median(times) * 1000:.1f} ms (median of {SEARCHES}, "
        f"worst {max(times) * 1000:.1f} ms), {len(matches)} within the threshold; target < 1 s"
    )


def fingerprints() -> None:
    if not minutiae.available():
        sys.exit("fingerprints: the NBIS library is not built (run make)")
    start = time.perf_counter()
    real = {
        (seed, position): minutiae.extract(render_finger(seed, name, 0))
        for seed in range(REAL_PEOPLE)
        for position, name in FINGERS.items()
    }
    extracted = (time.perf_counter() - start) / len(real)
    rng = np.random.default_rng(2026)
    index = FingerIndex()
    start = time.perf_counter()
    enrolled = [(0, p, real[(0, p)]) for p in FINGERS] + [
        (person, p, _another(real[(int(rng.integers(REAL_PEOPLE)), p)], rng))
        for person in range(1, PEOPLE)
        for p in FINGERS
    ]
    made = time.perf_counter() - start
    start = time.perf_counter()
    index.add_many(enrolled)
    loaded = time.perf_counter() - start
    probe = {p: minutiae.extract(render_finger(0, name, 1)) for p, name in FINGERS.items()}
    times = []
    for _ in range(5):
        start = time.perf_counter()
        matches = index.search(probe)
        times.append(time.perf_counter() - start)
    found = [m.key for m in matches]
    print(f"fingerprints: MINDTCT {extracted * 1000:.0f} ms per finger; {PEOPLE:,} people "
          f"({len(FINGERS)} fingers each, made in {made:.1f} s) loaded into the index in "
          f"{loaded:.1f} s")  # fmt: skip
    print(
        f"fingerprints: one 1:N search {np.median(times) * 1000:.0f} ms (median of {len(times)}, "
        f"worst {max(times) * 1000:.0f} ms), found {found} (person 0 expected)"
    )


def _another(finger: minutiae.Minutiae, rng: np.random.Generator) -> minutiae.Minutiae:
    """Another finger with ``finger``'s number and spread of minutiae."""
    points = np.array(finger.points, np.int64)
    points[:, :2] += rng.integers(-25, 26, (len(points), 2))
    points[:, 0] = points[:, 0].clip(0, finger.width - 1)
    points[:, 1] = points[:, 1].clip(0, finger.height - 1)
    points[:, 2] = rng.integers(0, 32, len(points))
    return minutiae.Minutiae(finger.width, finger.height, tuple(map(tuple, points.tolist())))


if __name__ == "__main__":
    main()
