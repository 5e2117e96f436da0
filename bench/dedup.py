"""Time of one 1:N face search among 100,000 enrolled faces, on one core.

The enrolled vectors are real dlib face vectors (the astronaut's demo looks and Grace Hopper)
spread with noise of the spread real faces have, so the index does the work a full office
database would make it do: one (100,000 × 128) matrix product, the threshold and the sort of
the few matches. Target: < 1 s (it takes milliseconds).

Fingerprints are not searched 1:N: no maintained minutiae matcher is available as a package
(see ``issuance.services.dedup``), so there is no fingerprint time to print.
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

from issuance.biometrics.face_embedding import embed_jpeg  # noqa: E402
from issuance.biometrics.face_index import FaceIndex  # noqa: E402
from tests.support import people  # noqa: E402

ENROLLED = 100_000
SEARCHES = 20


def main() -> None:
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
    print("fingerprints: not searched 1:N (no maintained minutiae matcher package)")


if __name__ == "__main__":
    main()
