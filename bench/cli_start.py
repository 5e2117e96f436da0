"""Start-up time of the ``issuance`` command line against a bare interpreter (issue 11).

Runs ``<venv>/bin/issuance --help`` and ``python -c pass`` (the same interpreter) N times each,
interleaved so both see the same machine load, and prints the median wall time of each and
their ratio. The target is a ratio of at most 5; the exit status is 1 above it.

    .venv/bin/python bench/cli_start.py [--runs 30] [--target 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def wall_time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--target", type=float, default=5.0, help="largest acceptable ratio")
    args = parser.parse_args()

    python = sys.executable
    script = Path(python).parent / "issuance"
    if not script.exists():
        parser.error(f"{script} is missing: install the project into this interpreter's venv")
    cli, bare = [str(script), "--help"], [python, "-c", "pass"]
    wall_time(cli), wall_time(bare)  # warm the file cache; not counted
    cli_times, bare_times = [], []
    for _ in range(args.runs):
        cli_times.append(wall_time(cli))
        bare_times.append(wall_time(bare))
    cli_median, bare_median = statistics.median(cli_times), statistics.median(bare_times)
    ratio = cli_median / bare_median
    print(f"issuance --help  median {cli_median * 1000:7.1f} ms  ({args.runs} runs)")
    print(f"python -c pass   median {bare_median * 1000:7.1f} ms  ({args.runs} runs)")
    verdict = "ok" if ratio <= args.target else "over the target"
    print(f"ratio            {ratio:7.1f}x  (target <= {args.target:g}: {verdict})")
    return 0 if ratio <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
