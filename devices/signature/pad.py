"""Signature pads: a small protocol for pen input and a backend that replays a recording.

Coordinates are in the pad's own units with y growing downwards (screen convention); a
backend whose hardware reports y upwards flips it before emitting. Time ``t`` is in seconds
and ``pressure`` in 0..1, or None for a mouse.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

PenKind = Literal["down", "move", "up"]


@dataclass(frozen=True)
class PenEvent:
    kind: PenKind
    x: float
    y: float
    t: float
    pressure: float | None = None


PenListener = Callable[[PenEvent], None]


class SignaturePad(Protocol):
    """Delivers pen events to ``listener`` from its own thread until ``stop``."""

    def start(self, listener: PenListener) -> None: ...

    def stop(self) -> None: ...


Recording = Sequence[Sequence[Sequence[float]]]


class ReplayPad:
    """Replays recorded strokes (lists of ``[x, y, t]`` or ``[x, y, t, pressure]``).

    With ``realtime`` the recorded timing is kept; otherwise events come as fast as the
    listener takes them.
    """

    def __init__(self, strokes: Recording, realtime: bool = False) -> None:
        self._strokes = [[tuple(p) for p in stroke] for stroke in strokes if len(stroke)]
        self._realtime = realtime
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def from_file(cls, path: str | Path, realtime: bool = False) -> ReplayPad:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["strokes"] if isinstance(data, dict) else data, realtime)

    def start(self, listener: PenListener) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._replay, args=(listener,), name="signature-replay", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.wait(2.0)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the replay has ended; True when it did within ``timeout``."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _replay(self, listener: PenListener) -> None:
        started = time.monotonic()
        first_t = self._strokes[0][0][2] if self._strokes else 0.0
        for stroke in self._strokes:
            for index, point in enumerate(stroke):
                if self._stop.is_set():
                    return
                if self._realtime:
                    delay = (point[2] - first_t) - (time.monotonic() - started)
                    if delay > 0 and self._stop.wait(delay):
                        return
                kind: PenKind = "down" if index == 0 else "move"
                listener(PenEvent(kind, *_xytp(point)))
            listener(PenEvent("up", *_xytp(stroke[-1])))


def _xytp(point: Sequence[float]) -> tuple[float, float, float, float | None]:
    pressure = float(point[3]) if len(point) > 3 else None
    return float(point[0]), float(point[1]), float(point[2]), pressure


def open_signature_pad(spec: str) -> SignaturePad:
    """``replay:/path/strokes.json`` (add ``?realtime`` to keep the recorded pace)."""
    if spec.startswith("replay:"):
        path, _, flag = spec[len("replay:") :].partition("?")
        return ReplayPad.from_file(path, realtime=flag == "realtime")
    raise ValueError(f"unknown signature pad {spec!r}")
