"""The applicant's signature: strokes drawn on a pad, tablet or with a mouse, or "cannot sign".

The canvas only keeps coordinates (any units, y down) with times and optional pressure, so
every input device feeds it the same way. ``finish`` renders the card-ready PNG: white
background, anti-aliased black ink, cropped to the strokes with a margin, fixed height.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from issuance.errors import IssuanceError

DEFAULT_HEIGHT = 200
_SUPERSAMPLE = 4


class EmptySignature(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Nënshkrimi është bosh. Kërkojini aplikantit të nënshkruajë, ose shënoni "
            "«nuk mund të nënshkruajë» me arsye.",
            "The signature is empty. Ask the applicant to sign, or mark "
            '"cannot sign" with a reason.',
        )


class CannotSignReasonRequired(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Shkruani arsyen pse aplikanti nuk mund të nënshkruajë.",
            "Enter the reason why the applicant cannot sign.",
        )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    t: float
    pressure: float | None = None


@dataclass(frozen=True)
class BoundingBox:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class SignatureResult:
    """Either a PNG of the signature or the "cannot sign" flag with its reason."""

    png: bytes | None
    cannot_sign: bool
    reason: str | None
    strokes: tuple[tuple[Point, ...], ...]


class PenEventLike(Protocol):
    kind: str
    x: float
    y: float
    t: float
    pressure: float | None


class SignatureCanvas:
    """Strokes being drawn; pen events may arrive from a device thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._strokes: list[list[Point]] = []
        self._drawing = False
        self._cannot_sign_reason: str | None = None

    # input

    def pen_down(self, x: float, y: float, t: float, pressure: float | None = None) -> None:
        with self._lock:
            self._strokes.append([Point(x, y, t, pressure)])
            self._drawing = True

    def pen_move(self, x: float, y: float, t: float, pressure: float | None = None) -> None:
        with self._lock:
            if not self._drawing:
                # A move without a down (pen entered the area pressed) starts a stroke.
                self._strokes.append([])
                self._drawing = True
            self._strokes[-1].append(Point(x, y, t, pressure))

    def pen_up(self) -> None:
        with self._lock:
            self._drawing = False

    def handle(self, event: PenEventLike) -> None:
        """Feed one event from a ``SignaturePad`` (``issuance.ports.signature.PenEvent``)."""
        if event.kind == "down":
            self.pen_down(event.x, event.y, event.t, event.pressure)
        elif event.kind == "move":
            self.pen_move(event.x, event.y, event.t, event.pressure)
        elif event.kind == "up":
            self.pen_up()

    def add_stroke(self, points: Iterable[Point | tuple[float, ...]]) -> None:
        stroke = [p if isinstance(p, Point) else Point(*p) for p in points]
        if stroke:
            with self._lock:
                self._strokes.append(stroke)
                self._drawing = False

    # editing

    def undo(self) -> bool:
        """Remove the last stroke; False when there was none."""
        with self._lock:
            self._drawing = False
            if not self._strokes:
                return False
            self._strokes.pop()
            return True

    def clear(self) -> None:
        with self._lock:
            self._strokes.clear()
            self._drawing = False

    def mark_cannot_sign(self, reason: str) -> None:
        if not reason.strip():
            raise CannotSignReasonRequired()
        with self._lock:
            self._cannot_sign_reason = reason.strip()

    def unmark_cannot_sign(self) -> None:
        with self._lock:
            self._cannot_sign_reason = None

    # queries

    @property
    def strokes(self) -> tuple[tuple[Point, ...], ...]:
        with self._lock:
            return tuple(tuple(s) for s in self._strokes if s)

    @property
    def is_empty(self) -> bool:
        return not self.strokes

    @property
    def cannot_sign(self) -> bool:
        return self._cannot_sign_reason is not None

    def bounding_box(self) -> BoundingBox | None:
        points = [p for stroke in self.strokes for p in stroke]
        if not points:
            return None
        xs = [p.x for p in points]
        ys = [p.y for p in points]
        return BoundingBox(min(xs), min(ys), max(xs), max(ys))

    # output

    def render_png(
        self, height: int = DEFAULT_HEIGHT, margin: int = 12, max_width: int | None = None
    ) -> bytes:
        """The strokes as an 8-bit greyscale PNG of ``height`` pixels; refused when empty."""
        strokes = self.strokes
        if not strokes:
            raise EmptySignature()
        return render_strokes(strokes, height, margin, max_width or height * 6)

    def finish(self, height: int = DEFAULT_HEIGHT) -> SignatureResult:
        """The signature to store: a PNG, or "cannot sign" with its reason (no image)."""
        strokes = self.strokes
        reason = self._cannot_sign_reason
        if reason is not None:
            return SignatureResult(None, True, reason, strokes)
        return SignatureResult(self.render_png(height), False, None, strokes)


def render_strokes(
    strokes: tuple[tuple[Point, ...], ...], height: int, margin: int, max_width: int
) -> bytes:
    xs = [p.x for s in strokes for p in s]
    ys = [p.y for s in strokes for p in s]
    left, top = min(xs), min(ys)
    ink_w, ink_h = max(xs) - left, max(ys) - top
    room_h = height - 2 * margin
    room_w = max_width - 2 * margin
    # Scale to the fixed height, unless a long flat signature would overflow the width.
    scale = min(
        room_h / ink_h if ink_h > 0 else math.inf, room_w / ink_w if ink_w > 0 else math.inf
    )
    if not math.isfinite(scale):
        scale = 1.0
    width = int(math.ceil(ink_w * scale)) + 2 * margin
    offset_y = margin + (room_h - ink_h * scale) / 2
    pen = max(2.0, height / 70)
    k = _SUPERSAMPLE
    canvas = np.full((height * k, width * k), 255, np.uint8)
    for stroke in strokes:
        pts = [((p.x - left) * scale + margin, (p.y - top) * scale + offset_y) for p in stroke]
        widths = [pen * (0.6 + 0.8 * p.pressure) if p.pressure is not None else pen for p in stroke]
        if len(pts) == 1:
            centre = (round(pts[0][0] * k), round(pts[0][1] * k))
            cv2.circle(canvas, centre, max(1, round(widths[0] * k / 2)), 0, -1, cv2.LINE_AA)
            continue
        for (a, b), w in zip(zip(pts, pts[1:], strict=False), widths[1:], strict=False):
            p0 = (round(a[0] * k), round(a[1] * k))
            p1 = (round(b[0] * k), round(b[1] * k))
            cv2.line(canvas, p0, p1, 0, max(1, round(w * k)), cv2.LINE_AA)
    image = cv2.resize(canvas, (width, height), interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".png", image)
    if not ok:
        raise ValueError("PNG encoding failed")
    return encoded.tobytes()


# An unfinished signature kept with its draft: the strokes as compact JSON (sealed by the
# service). Bounded, so a damaged or hostile blob cannot make the desk draw for ever.
MAX_KEPT_POINTS = 50_000


def strokes_to_bytes(strokes: Iterable[Iterable[Point]]) -> bytes:
    data = [[[p.x, p.y, p.t, p.pressure] for p in stroke] for stroke in strokes]
    return json.dumps(data, separators=(",", ":")).encode()


def strokes_from_bytes(data: bytes) -> list[list[Point]]:
    """The strokes ``strokes_to_bytes`` wrote; anything else gives no strokes at all."""
    try:
        raw = json.loads(data)
        strokes = [[_point(p) for p in stroke] for stroke in raw]
    except (ValueError, TypeError):
        return []
    if sum(len(s) for s in strokes) > MAX_KEPT_POINTS:
        return []
    return [s for s in strokes if s]


def _point(raw: object) -> Point:
    if not isinstance(raw, list) or len(raw) != 4:
        raise ValueError("not a point")
    x, y, t, pressure = raw
    fx, fy, ft = float(x), float(y), float(t)
    if not all(math.isfinite(v) for v in (fx, fy, ft)):
        raise ValueError("not a finite point")
    return Point(fx, fy, ft, None if pressure is None else float(pressure))
