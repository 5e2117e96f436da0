"""Signature pads: a small protocol for pen input, chosen by a configuration string.

- ``canvas`` (the default) — the desk's own drawing canvas: the mouse or a pen tablet on the
  canvas widget, whose events the widget hands to ``CanvasPad``. Always connected.
- ``replay:/path/strokes.json`` — replays a recording (add ``?realtime`` to keep its pace),
  for tests and the demo.

Coordinates are in the pad's own units with y growing downwards (screen convention); a
backend whose hardware reports y upwards flips it before emitting. Time ``t`` is in seconds
and ``pressure`` in 0..1, or None for a mouse.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from issuance.ports.signature import PenEvent, PenKind, PenListener, SignaturePad
from issuance.ports.signature_errors import SignaturePadSpecInvalid
from issuance.ports.status import (
    BUSY,
    CONNECTED,
    DeviceState,
    DeviceStatus,
    DeviceStatusCallback,
    StatusKeeper,
)

DEFAULT_SPEC = "canvas"


class CanvasPad(StatusKeeper):
    """The desk's drawing canvas as a pad: the widget feeds it the mouse or pen events it
    receives, and they reach the listener at once, on the widget's (GUI) thread.

    There is no device to lose, so the status is always CONNECTED. Events fed while the pad
    is not started are dropped.
    """

    def __init__(self) -> None:
        super().__init__(CONNECTED)
        self._listener: PenListener | None = None

    def start(self, listener: PenListener, on_status: DeviceStatusCallback | None = None) -> None:
        self._on_status = on_status
        self._listener = listener

    def stop(self) -> None:
        self._listener = None

    def feed(self, event: PenEvent) -> None:
        listener = self._listener
        if listener is not None:
            listener(event)

    def pen_down(self, x: float, y: float, t: float, pressure: float | None = None) -> None:
        self.feed(PenEvent("down", x, y, t, pressure))

    def pen_move(self, x: float, y: float, t: float, pressure: float | None = None) -> None:
        self.feed(PenEvent("move", x, y, t, pressure))

    def pen_up(self, x: float, y: float, t: float, pressure: float | None = None) -> None:
        self.feed(PenEvent("up", x, y, t, pressure))


Recording = Sequence[Sequence[Sequence[float]]]


class ReplayPad(StatusKeeper):
    """Replays recorded strokes (lists of ``[x, y, t]`` or ``[x, y, t, pressure]``).

    With ``realtime`` the recorded timing is kept; otherwise events come as fast as the
    listener takes them. BUSY while replaying, CONNECTED before and after.
    """

    def __init__(
        self,
        strokes: Recording,
        realtime: bool = False,
        problem: DeviceStatus | None = None,
    ) -> None:
        super().__init__(problem or CONNECTED)
        self._strokes = [[tuple(p) for p in stroke] for stroke in strokes if len(stroke)]
        self._realtime = realtime
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def from_file(cls, path: str | Path, realtime: bool = False) -> ReplayPad:
        """The recording at ``path``; one that cannot be read gives a pad in ERROR."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            strokes = data["strokes"] if isinstance(data, dict) else data
            if not isinstance(strokes, list):
                raise ValueError("strokes must be a list")
        except (OSError, ValueError, KeyError, TypeError) as error:
            problem = DeviceStatus.error(
                f"regjistrimi i nënshkrimit «{path}» nuk lexohet ({type(error).__name__})",
                f"the signature recording '{path}' cannot be read ({type(error).__name__})",
            )
            return cls([], realtime, problem)
        return cls(strokes, realtime)

    def start(self, listener: PenListener, on_status: DeviceStatusCallback | None = None) -> None:
        self._on_status = on_status
        if self.status.state is DeviceState.ERROR:
            if on_status is not None:
                on_status(self.status)
            return
        self._stop.clear()
        self._report(BUSY)
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
        try:
            self._play(listener)
        finally:
            self._report(CONNECTED)

    def _play(self, listener: PenListener) -> None:
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


def _parse(spec: str) -> tuple[str, str, bool]:
    """(kind, path, realtime) of a spec, or ``SignaturePadSpecInvalid``."""
    text = spec.strip()
    if text == "canvas":
        return "canvas", "", False
    if text.startswith("replay:"):
        path, mark, flag = text[len("replay:") :].partition("?")
        if path and (not mark or flag == "realtime"):
            return "replay", path, flag == "realtime"
    raise SignaturePadSpecInvalid(spec)


def check_spec(spec: str) -> None:
    """Raise ``SignaturePadSpecInvalid`` unless ``spec`` names a pad (opens nothing)."""
    _parse(spec)


def open_signature_pad(spec: str = DEFAULT_SPEC) -> SignaturePad:
    """The pad named by ``spec`` (see the module's text). Trouble with the pad does not
    raise: check ``pad.status``. A malformed spec raises ``SignaturePadSpecInvalid``."""
    kind, path, realtime = _parse(spec)
    if kind == "canvas":
        return CanvasPad()
    return ReplayPad.from_file(path, realtime=realtime)
