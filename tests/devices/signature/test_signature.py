from __future__ import annotations

import json
import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.signature import CanvasPad, ReplayPad, check_spec, open_signature_pad
from issuance.biometrics.signature import (
    CannotSignReasonRequired,
    EmptySignature,
    Point,
    SignatureCanvas,
)
from issuance.ports.signature import PenEvent
from issuance.ports.signature_errors import SignaturePadSpecInvalid
from issuance.ports.status import DeviceState, DeviceStatus

INK = 128


def _decode(png: bytes) -> np.ndarray:
    assert png.startswith(b"\x89PNG")
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    assert image is not None and image.ndim == 2
    return image


def _line(x0: float, y0: float, x1: float, y1: float, n: int = 40, t0: float = 0.0):
    return [
        Point(x0 + (x1 - x0) * i / (n - 1), y0 + (y1 - y0) * i / (n - 1), t0 + i * 0.01)
        for i in range(n)
    ]


def test_render_puts_ink_where_the_strokes_are() -> None:
    canvas = SignatureCanvas()
    # Pad units: an L shape from (100, 50) down to (100, 250) then right to (500, 250).
    canvas.add_stroke(_line(100, 50, 100, 250))
    canvas.add_stroke(_line(100, 250, 500, 250))
    image = _decode(canvas.render_png(height=200, margin=10))
    assert image.shape[0] == 200
    # Ink box 400 x 200 scaled by (200 - 20) / 200 = 0.9 into a 360 + 20 wide image.
    assert image.shape[1] == 380
    assert image[0, 0] == 255 and image[-1, -1] == 255 and image[0, -1] == 255
    ink = image < INK
    ys, xs = np.nonzero(ink)
    assert abs(xs.min() - 10) <= 3 and abs(xs.max() - 370) <= 3
    assert abs(ys.min() - 10) <= 3 and abs(ys.max() - 190) <= 3
    assert ink[100, 8:13].any()  # the vertical bar, halfway down
    assert ink[187:194, 200].any()  # the horizontal bar, halfway along
    assert not ink[20:170, 40:360].any()  # inside the L there is no ink
    # Anti-aliased edges: grey levels between ink and paper exist.
    assert ((image > 40) & (image < 215)).sum() > 50


def test_output_height_is_fixed_whatever_the_pad_size() -> None:
    small, large = SignatureCanvas(), SignatureCanvas()
    small.add_stroke(_line(0, 0, 30, 10))
    large.add_stroke(_line(0, 0, 3000, 1000))
    a, b = _decode(small.render_png()), _decode(large.render_png())
    assert a.shape == b.shape and a.shape[0] == 200


def test_flat_signature_fits_the_width_limit() -> None:
    canvas = SignatureCanvas()
    canvas.add_stroke(_line(0, 100, 1000, 100))
    image = _decode(canvas.render_png(height=100, max_width=400))
    assert image.shape == (100, 400)
    assert (image[45:56, 20:380] < INK).any(axis=0).all()


def test_pressure_thickens_the_line() -> None:
    light, heavy = SignatureCanvas(), SignatureCanvas()
    pts = _line(0, 0, 400, 200)
    light.add_stroke([Point(p.x, p.y, p.t, 0.1) for p in pts])
    heavy.add_stroke([Point(p.x, p.y, p.t, 1.0) for p in pts])
    thin = (_decode(light.render_png()) < INK).sum()
    thick = (_decode(heavy.render_png()) < INK).sum()
    assert thick > thin * 1.5


def test_empty_signature_is_refused() -> None:
    canvas = SignatureCanvas()
    with pytest.raises(EmptySignature) as caught:
        canvas.finish()
    assert "empty" in caught.value.message("en") and "bosh" in caught.value.message("sq")
    canvas.add_stroke(_line(0, 0, 10, 10))
    assert canvas.undo() is True
    with pytest.raises(EmptySignature):
        canvas.render_png()
    assert canvas.undo() is False


def test_cannot_sign_needs_a_reason_and_has_no_image() -> None:
    canvas = SignatureCanvas()
    with pytest.raises(CannotSignReasonRequired):
        canvas.mark_cannot_sign("   ")
    canvas.mark_cannot_sign("both arms in plaster")
    result = canvas.finish()
    assert result.cannot_sign and result.png is None
    assert result.reason == "both arms in plaster"
    canvas.unmark_cannot_sign()
    with pytest.raises(EmptySignature):
        canvas.finish()


def test_pen_events_undo_clear_and_bounding_box() -> None:
    canvas = SignatureCanvas()
    canvas.pen_down(10, 20, 0.0, 0.5)
    canvas.pen_move(30, 5, 0.01, 0.6)
    canvas.pen_move(50, 40, 0.02, 0.7)
    canvas.pen_up()
    canvas.pen_down(60, 60, 0.5)
    canvas.pen_up()
    assert len(canvas.strokes) == 2 and len(canvas.strokes[0]) == 3
    box = canvas.bounding_box()
    assert box is not None and (box.left, box.top, box.right, box.bottom) == (10, 5, 60, 60)
    canvas.undo()
    box = canvas.bounding_box()
    assert box is not None and (box.right, box.bottom) == (50, 40)
    single = _decode(canvas.render_png())
    assert (single < INK).any()
    canvas.clear()
    assert canvas.is_empty and canvas.bounding_box() is None


def test_dot_only_signature_renders() -> None:
    canvas = SignatureCanvas()
    canvas.pen_down(5, 5, 0.0)
    canvas.pen_up()
    image = _decode(canvas.render_png())
    assert (image < INK).any() and image[0, 0] == 255


def _recording() -> list[list[list[float]]]:
    circle = [
        [
            200 + 80 * math.cos(a / 20 * 2 * math.pi),
            150 + 60 * math.sin(a / 20 * 2 * math.pi),
            a * 0.01,
            0.5,
        ]
        for a in range(21)
    ]
    tail = [[300.0 + i * 10, 200.0, 0.4 + i * 0.01] for i in range(15)]
    return [circle, tail]


def test_replay_pad_feeds_the_canvas_from_its_thread(tmp_path: Path) -> None:
    path = tmp_path / "strokes.json"
    path.write_text(json.dumps({"strokes": _recording()}), encoding="utf-8")
    pad = open_signature_pad(f"replay:{path}")
    assert isinstance(pad, ReplayPad)
    canvas = SignatureCanvas()
    events: list[PenEvent] = []

    def listener(event: PenEvent) -> None:
        events.append(event)
        canvas.handle(event)

    pad.start(listener)
    assert pad.wait(5)
    assert [e.kind for e in events].count("down") == 2
    assert [e.kind for e in events].count("up") == 2
    assert [len(s) for s in canvas.strokes] == [21, 15]
    assert canvas.strokes[0][0].pressure == 0.5 and canvas.strokes[1][0].pressure is None
    image = _decode(canvas.finish().png or b"")
    assert (image < INK).sum() > 200


def test_realtime_replay_can_be_stopped() -> None:
    slow = [[[0.0, 0.0, 0.0], [10.0, 10.0, 30.0]]]
    pad = ReplayPad(slow, realtime=True)
    events: list[PenEvent] = []
    pad.start(events.append)
    pad.stop()
    assert pad.wait(1)
    assert [e.kind for e in events] == ["down"]


@pytest.mark.parametrize("spec", ["wacom:usb", "", "replay:", "replay:a.json?fast", "canvas:1"])
def test_unknown_pad_spec_is_refused(spec: str) -> None:
    with pytest.raises(SignaturePadSpecInvalid) as caught:
        open_signature_pad(spec)
    assert "canvas" in caught.value.message("en") and caught.value.message("sq")
    with pytest.raises(SignaturePadSpecInvalid):
        check_spec(spec)


def test_canvas_is_the_default_and_always_connected() -> None:
    pad = open_signature_pad()
    assert isinstance(pad, CanvasPad)
    assert isinstance(open_signature_pad(" canvas "), CanvasPad)
    check_spec("canvas")
    assert pad.status == DeviceStatus(DeviceState.CONNECTED)
    canvas = SignatureCanvas()
    heard: list[DeviceStatus] = []
    pad.pen_down(1, 1, 0.0)  # not started: dropped
    pad.start(canvas.handle, on_status=heard.append)
    # The widget feeds the events; they reach the canvas at once, on the caller's thread.
    pad.pen_down(10, 20, 0.0, 0.4)
    pad.pen_move(40, 25, 0.01, 0.5)
    pad.pen_up(40, 25, 0.02)
    assert [len(s) for s in canvas.strokes] == [2]
    assert canvas.strokes[0][0].pressure == 0.4
    assert pad.status.state is DeviceState.CONNECTED
    pad.stop()
    pad.pen_down(5, 5, 1.0)
    assert len(canvas.strokes) == 1 and heard == []


def test_replay_pad_is_busy_while_replaying(tmp_path: Path) -> None:
    path = tmp_path / "slow.json"
    path.write_text(json.dumps([[[0.0, 0.0, 0.0], [5.0, 5.0, 0.3], [9.0, 9.0, 0.6]]]))
    pad = open_signature_pad(f"replay:{path}?realtime")
    assert pad.status.state is DeviceState.CONNECTED
    heard: list[DeviceStatus] = []
    events: list[PenEvent] = []
    pad.start(events.append, on_status=heard.append)
    assert pad.status.state is DeviceState.BUSY  # start returned before the replay ended
    assert isinstance(pad, ReplayPad) and pad.wait(5)
    assert [e.kind for e in events] == ["down", "move", "move", "up"]
    assert pad.status.state is DeviceState.CONNECTED
    assert [s.state for s in heard] == [DeviceState.BUSY, DeviceState.CONNECTED]


@pytest.mark.parametrize("content", [None, "not json", '{"no": "strokes"}'])
def test_unreadable_recording_is_an_error_status_with_the_reason(
    tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "strokes.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    pad = open_signature_pad(f"replay:{path}")  # device trouble does not raise
    status = pad.status
    assert status.state is DeviceState.ERROR
    assert str(path) in status.message("en") and "cannot be read" in status.message("en")
    assert "nuk lexohet" in status.message("sq")
    heard: list[DeviceStatus] = []
    events: list[PenEvent] = []
    pad.start(events.append, on_status=heard.append)
    assert isinstance(pad, ReplayPad) and pad.wait(1)
    assert events == [] and heard == [status]
