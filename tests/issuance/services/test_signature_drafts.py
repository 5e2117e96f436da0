"""An unfinished signature is kept with its draft, sealed, and gone once the signature is
stored."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from issuance.biometrics.signature import (
    MAX_KEPT_POINTS,
    Point,
    SignatureCanvas,
    strokes_from_bytes,
    strokes_to_bytes,
)
from issuance.security.permissions import NotPermitted
from issuance.services import capture, enrolment, signature_drafts
from tests.conftest import raw_rows
from tests.support.world import build_world

STROKES = [
    [Point(10.5, 20.25, 0.0, 0.5), Point(30.0, 40.0, 0.01, 0.6)],
    [Point(50.0, 60.0, 0.2), Point(70.0, 65.5, 0.25), Point(90.0, 61.0, 0.3)],
]


def test_kept_sealed_and_given_back(ctx, console):
    world = build_world(ctx, console)
    draft = enrolment.start_draft(ctx, world.clerk)
    assert signature_drafts.kept(ctx, world.clerk, draft.id) == []
    signature_drafts.keep(ctx, world.clerk, draft.id, STROKES)
    assert signature_drafts.kept(ctx, world.clerk, draft.id) == STROKES
    stored = str(raw_rows(ctx, "SELECT draft FROM applications")[0][0])
    assert "signature_strokes" in stored and "20.25" not in stored and "65.5" not in stored
    # Saving the other steps' notes keeps the strokes.
    enrolment.save_draft(ctx, world.clerk, draft.id, "photo", {"x": 1})
    assert signature_drafts.kept(ctx, world.clerk, draft.id) == STROKES


def test_stored_signature_forgets_the_strokes(ctx, console):
    world = build_world(ctx, console)
    draft = enrolment.start_draft(ctx, world.clerk)
    signature_drafts.keep(ctx, world.clerk, draft.id, STROKES)
    canvas = SignatureCanvas()
    for stroke in STROKES:
        canvas.add_stroke(stroke)
    capture.store_signature(ctx, world.clerk, draft.id, canvas.finish())
    assert signature_drafts.kept(ctx, world.clerk, draft.id) == []
    assert "signature_strokes" not in str(raw_rows(ctx, "SELECT draft FROM applications")[0][0])


def test_only_the_clerk_keeps_strokes(ctx, console):
    world = build_world(ctx, console)
    draft = enrolment.start_draft(ctx, world.clerk)
    with pytest.raises(NotPermitted):
        signature_drafts.keep(ctx, world.supervisor, draft.id, STROKES)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048) | st.text(max_size=512).map(str.encode))
def test_damaged_kept_strokes_give_none_never_an_error(data):
    strokes = strokes_from_bytes(data)
    assert isinstance(strokes, list)


def test_too_many_points_are_not_drawn():
    huge = [[Point(1.0, 2.0, 0.0)] * (MAX_KEPT_POINTS + 1)]
    assert strokes_from_bytes(strokes_to_bytes(huge)) == []
    assert strokes_from_bytes(b'[[[1, 2, "nan", null]]]') == []
    assert strokes_from_bytes(b"[[[1e999, 2, 0, null]]]") == []
