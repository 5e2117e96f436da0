"""Fault switches of a stand-in: latency, server errors, hangs, malformed bodies, outage, and
answers whose texts come back decomposed (NFD), as from a register that re-normalises names.

Faults come from two places: the service-wide settings posted to `POST /_sandbox/faults`
(rates, so a demo can run with a flaky service), and the per-request headers
`X-Sandbox-Latency-Ms` and `X-Sandbox-Fail` (exact, so a test can provoke one failure).
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

# The values X-Sandbox-Fail accepts, and what the stand-in then does.
FAIL_KINDS = {
    "500": "answer 500 INTERNAL",
    "503": "answer 503 UNAVAILABLE and close the connection",
    "timeout": "hang for hang_ms before answering (longer than any client timeout)",
    "malformed": "answer 200 with a truncated JSON body",
    "schema": "answer 200 with well-formed JSON that breaks the contract",
    "close": "close the connection without answering",
    "429": "answer 429 TOO_MANY_REQUESTS with Retry-After: 1",
    "nfd": "answer normally, but with every text of a successful body in NFD",
}
OUTAGE_KINDS = ("close", "503")


@dataclass
class Faults:
    """Service-wide fault settings; rates are shares of requests between 0 and 1."""

    latency_ms: int = 0
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    malformed_rate: float = 0.0
    hang_ms: int = 30_000
    outage: str | None = None
    # Every successful answer's texts decomposed: "Çela" comes back as "C\u0327ela".
    nfd_names: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def parse_faults(data: Any) -> Faults:
    """Faults from an admin request body; raises ValueError on anything unexpected."""
    if not isinstance(data, dict):
        raise ValueError("faults must be a JSON object")
    names = {f.name for f in fields(Faults)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
    faults = Faults(**data)
    for rate in (faults.error_rate, faults.timeout_rate, faults.malformed_rate):
        if not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise ValueError("rates must be numbers between 0 and 1")
    for ms in (faults.latency_ms, faults.hang_ms):
        if not isinstance(ms, int) or ms < 0:
            raise ValueError("latency_ms and hang_ms must be non-negative integers")
    if not isinstance(faults.nfd_names, bool):
        raise ValueError("nfd_names must be true or false")
    if faults.outage is not None and faults.outage not in OUTAGE_KINDS:
        raise ValueError(f"outage must be null or one of {', '.join(OUTAGE_KINDS)}")
    return faults


@dataclass(frozen=True)
class Decision:
    """What to do to one request: wait `latency_ms`, then `fail` (None = answer normally)."""

    latency_ms: int
    fail: str | None
    hang_ms: int


class FaultSwitch:
    """Thread-safe holder of a service's faults; decides the fate of each request."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._faults = Faults()
        self._random = random.Random(seed)

    def get(self) -> Faults:
        with self._lock:
            return Faults(**asdict(self._faults))

    def set(self, faults: Faults) -> None:
        with self._lock:
            self._faults = faults

    def decide(self, headers: dict[str, str]) -> Decision:
        """The decision for a request whose (lower-case) headers are given."""
        with self._lock:
            faults = self._faults
            roll = self._random.random()
        latency = faults.latency_ms
        header_latency = headers.get("x-sandbox-latency-ms", "")
        if header_latency.isdigit():
            latency += int(header_latency)
        fail = headers.get("x-sandbox-fail", "").strip().lower() or None
        if fail is not None and fail not in FAIL_KINDS:
            fail = None
        if fail is None:
            fail = _by_rate(faults, roll)
        if fail is None and faults.nfd_names:
            fail = "nfd"
        if faults.outage is not None:
            fail = faults.outage
        return Decision(latency, fail, faults.hang_ms)


def _by_rate(faults: Faults, roll: float) -> str | None:
    # One roll split into consecutive bands, so the rates add up as configured.
    for kind, rate in (
        ("500", faults.error_rate),
        ("timeout", faults.timeout_rate),
        ("malformed", faults.malformed_rate),
    ):
        if roll < rate:
            return kind
        roll -= rate
    return None
