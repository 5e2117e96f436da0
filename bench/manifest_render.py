"""Benchmark: render a batch manifest of 1,000 applications (target: under 1 s).

Run: .venv/bin/python bench/manifest_render.py [rows] [repeats]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from issuance.documents import (  # noqa: E402
    BatchManifest,
    Decision,
    ManifestRow,
    render_batch_manifest,
)

DECISIONS = [Decision.APPROVED, Decision.REJECTED, Decision.PENDING]


def batch(rows: int) -> BatchManifest:
    return BatchManifest(
        batch_number="B-2024-0042",
        office_name="Tiranë — Drejtoria Vendore e Kufirit dhe Migracionit",
        supervisor="Arbër Çani",
        decided_at=dt.datetime(2024, 3, 4, 16, 0),
        rows=tuple(
            ManifestRow(
                application_number=f"TIR-2024-{n:06d}",
                surname=("Çela-Hoxhaj Kastrati Dervishi" if n % 10 == 0 else "Çela"),
                given_names="Ëndrit Gëzim",
                nationality_code="ITA",
                permit_number=f"RP-2023-{n:06d}",
                decision=DECISIONS[n % 3],
                reason="Fotografia nuk plotëson kërkesat / Photo fails the checks"
                if n % 3 == 1 else "",
                document_number=f"AB{n:07d}" if n % 3 == 0 else "",
            )
            for n in range(rows)
        ),
    )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    data = batch(rows)
    render_batch_manifest(batch(5))  # font registration and imports are not part of a render
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        pdf = render_batch_manifest(data)
        times.append(time.perf_counter() - start)
    print(f"manifest rows: {rows}")
    print(f"pdf size: {len(pdf) / 1024:.0f} KiB")
    print(f"render seconds: best {min(times):.3f}  median {statistics.median(times):.3f}  "
          f"worst {max(times):.3f}  (target < 1.000)")
    print("PASS" if statistics.median(times) < 1.0 else "FAIL")


if __name__ == "__main__":
    main()
