"""How many idempotent person creations per second the civil-registry stand-in accepts.

Runs the stand-ins as `python -m devtools.standins` in a child process (so the server does not
share this process's GIL; `--in-process` to compare), then creates persons through
`CivilRegistryClient` from several threads, each with its own Idempotency-Key, and repeats a
share of them (which must return the same person). Prints creations/s and repeats/s.

    .venv/bin/python bench/registry_throughput.py [--persons 2000] [--threads 4]
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from devtools.standins import Sandbox, SandboxConfig
from issuance.delivery.clients import BiographicData, CivilRegistryClient, PersonData, ServiceConfig
from issuance.domain.identity.nid import compose as foreigner_nid


@contextmanager
def civil_registry_url(in_process: bool) -> Iterator[str]:
    if in_process:
        with Sandbox(SandboxConfig(seed_demo_data=False)) as sandbox:
            yield sandbox.url("civil-registry")
        return
    proc = subprocess.Popen([sys.executable, "-m", "devtools.standins", "--no-seed"],
                            stdout=subprocess.PIPE, text=True)
    try:
        urls = dict(proc.stdout.readline().split() for _ in range(4))
        yield urls["civil-registry"]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


def person(n: int) -> tuple[str, PersonData]:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 900)
    sex = "F" if n % 2 else "M"
    nid = foreigner_nid(birth, sex, n % 900 + 1)
    data = PersonData(BiographicData(f"Ëndrit{n}", "Çela", birth, sex, "RKS",
                                     father_name="Agron", mother_name="Drita"),
                      permit_number=f"RP{n:08d}")
    return nid, data


def run(url: str, persons: int, threads: int, repeat_every: int) -> tuple[float, float, int]:
    created = [0] * threads
    repeats = [0] * threads

    def worker(t: int) -> None:
        with CivilRegistryClient(ServiceConfig(url, read_timeout=30)) as client:
            for n in range(t, persons, threads):
                nid, data = person(n)
                if client.create_person(nid, data, f"bench-{n:08d}").created:
                    created[t] += 1
        with CivilRegistryClient(ServiceConfig(url, read_timeout=30)) as client:
            for n in range(t, persons, threads * repeat_every):
                nid, data = person(n)
                if not client.create_person(nid, data, f"bench-{n:08d}").created:
                    repeats[t] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(created) + sum(repeats)
    return total / elapsed, elapsed, sum(created)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--repeat-every", type=int, default=10,
                        help="repeat every n-th creation with the same key")
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    with civil_registry_url(args.in_process) as url:
        rate, elapsed, created = run(url, args.persons, args.threads, args.repeat_every)
    where = "in-process" if args.in_process else "child process"
    print(f"civil-registry stand-in ({where}), {args.threads} client threads")
    print(f"persons created: {created} (expected {args.persons})")
    print(f"requests (creations + idempotent repeats) per second: {rate:.0f}")
    print(f"elapsed: {elapsed:.2f} s")
    return 0 if created == args.persons else 1


if __name__ == "__main__":
    raise SystemExit(main())
