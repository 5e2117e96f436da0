"""Storing fingers, signatures and overrides: who may do what, and what lands in the database."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from issuance.biometrics.fingerprints import (
    ExceptionKind,
    FingerException,
    FingerprintSet,
    FingerRecord,
    SupervisorOverride,
)
from issuance.biometrics.signature import EmptySignature, SignatureCanvas, SignatureResult
from issuance.db.models import Application
from issuance.domain.workflow import State
from issuance.ports import iso19794_4
from issuance.ports.fingerprint_images import finger_template, png_bytes
from issuance.ports.fingerprint_model import ALL_FINGERS, Finger
from issuance.security import audit
from issuance.security.permissions import NotPermitted
from issuance.services import capture, enrolment
from tests.conftest import raw_rows
from tests.support.world import fake_jpeg

IMAGE = np.tile(np.uint8([40, 200]), (300, 110))
PNG = png_bytes(IMAGE)
AT = datetime(2026, 1, 1, 9, 30, tzinfo=UTC)
# Each finger's ISO/IEC 19794-4 record: the template the scanner sent and the desk stores.
TEMPLATES = {f: finger_template(f, IMAGE, 77.6, captured_at=AT) for f in ALL_FINGERS}


def _fingers(override_by: str | None = None) -> FingerprintSet:
    """Ten fingers; with ``override_by`` the left index was accepted by that supervisor."""
    records = []
    for finger in ALL_FINGERS:
        if finger is Finger.LEFT_THUMB:
            exception = FingerException(ExceptionKind.BANDAGED, "fresh cut")
            records.append(FingerRecord(finger, None, None, 0, exception))
        elif finger is Finger.LEFT_INDEX and override_by is not None:
            decision = SupervisorOverride(override_by, "scarred", datetime(2026, 1, 1, tzinfo=UTC))
            records.append(FingerRecord(finger, TEMPLATES[finger], 21.4, 4, override=decision))
        else:
            chip = finger in (Finger.RIGHT_INDEX, Finger.LEFT_MIDDLE)
            records.append(FingerRecord(finger, TEMPLATES[finger], 77.6, 1, for_chip=chip))
    return FingerprintSet(tuple(records), (Finger.RIGHT_INDEX, Finger.LEFT_MIDDLE))


def _finger_rows(ctx, application_id: int) -> dict[str, tuple]:
    rows = raw_rows(
        ctx,
        "SELECT position, quality, attempts, exception_reason, override_by_id, override_reason "
        f"FROM biometric_captures WHERE application_id = {application_id} AND kind = 'finger'",
    )
    return {row[0]: row[1:] for row in rows}


def test_finger_positions_are_the_enrolment_names():
    assert sorted(capture.FINGER_POSITION.values()) == sorted(enrolment.FINGER_POSITIONS)
    for finger, position in capture.FINGER_POSITION.items():
        side, name = finger.name.lower().split("_")
        assert position == f"{side}_{name}"


def test_fingers_without_override_need_no_supervisor(ctx, world, draft):
    capture.store_fingerprints(ctx, world.clerk, draft, _fingers())
    rows = _finger_rows(ctx, draft)
    assert len(rows) == 10
    assert rows["right_index"] == (78, 1, None, None, None)  # quality rounded to an integer
    assert rows["left_thumb"] == (None, 0, "bandaged: fresh cut", None, None)
    stored = enrolment.read_capture(ctx, world.clerk, draft, "finger", "right_ring")
    assert stored == TEMPLATES[Finger.RIGHT_RING]  # the record itself, byte for byte
    formats = raw_rows(
        ctx, f"SELECT DISTINCT image_format FROM biometric_captures WHERE application_id = {draft}"
        " AND kind = 'finger' AND image_format IS NOT NULL",
    )  # fmt: skip
    assert formats == [("iso19794-4",)]


@pytest.mark.parametrize(
    ("template", "refusal"),
    [
        (PNG, iso19794_4.NotAFingerRecord),  # a bare image is no template
        (TEMPLATES[Finger.RIGHT_INDEX], iso19794_4.PositionMismatch),  # another finger's
        (TEMPLATES[Finger.RIGHT_RING][:-1], iso19794_4.RecordLengthMismatch),
    ],
    ids=["bare-png", "other-finger", "cut-short"],
)
def test_a_template_that_is_not_the_fingers_record_stores_nothing(
    ctx, world, draft, template, refusal
):
    fingers = _fingers()
    records = tuple(
        FingerRecord(r.finger, template, r.quality, 1) if r.finger is Finger.RIGHT_RING else r
        for r in fingers.records
    )
    with pytest.raises(refusal):
        capture.store_fingerprints(ctx, world.clerk, draft, FingerprintSet(records, ()))
    assert _finger_rows(ctx, draft) == {}


def test_override_is_recorded_by_the_supervisor(ctx, world, draft):
    supervisor = world.supervisor
    fingers = _fingers(override_by=supervisor.username)  # the username identifies them too
    capture.store_fingerprints(ctx, world.clerk, draft, fingers, supervisor=supervisor)
    row = _finger_rows(ctx, draft)["left_index"]
    assert row == (21, 4, None, supervisor.operator_id, "scarred")
    events = audit.history(ctx, supervisor, "application", draft)
    assert [e.actor for e in events if e.action == "capture.override"] == [supervisor.username]


def test_clerk_cannot_record_an_override(ctx, world, draft):
    clerk = world.clerk
    capture.store_fingerprints(ctx, clerk, draft, _fingers())
    with pytest.raises(NotPermitted):
        capture.record_override(ctx, clerk, draft, Finger.LEFT_INDEX, "looks fine to me")
    # Nor by passing themselves as the supervisor: refused before anything is stored.
    other = enrolment.start_draft(ctx, clerk).id
    fingers = _fingers(override_by=str(clerk.operator_id))
    with pytest.raises(NotPermitted):
        capture.store_fingerprints(ctx, clerk, other, fingers, supervisor=clerk)
    assert _finger_rows(ctx, other) == {}
    assert all(row[3] is None for row in _finger_rows(ctx, draft).values())
    assert raw_rows(ctx, "SELECT count(*) FROM audit_events WHERE action = 'capture.override'") == [
        (0,)
    ]


def test_overrides_need_the_supervisor_who_gave_them(ctx, world, draft):
    fingers = _fingers(override_by=str(world.supervisor.operator_id))
    with pytest.raises(capture.OverrideNeedsSupervisor):
        capture.store_fingerprints(ctx, world.clerk, draft, fingers)
    someone_else = _fingers(override_by="another-supervisor")
    with pytest.raises(capture.OverrideByAnotherSupervisor):
        capture.store_fingerprints(
            ctx, world.clerk, draft, someone_else, supervisor=world.supervisor
        )
    assert _finger_rows(ctx, draft) == {}


def test_cannot_sign_completes_the_step_without_an_image(ctx, world, draft):
    clerk = world.clerk
    enrolment.store_capture(
        ctx, clerk, draft, kind="face", position="face", image=fake_jpeg(), image_format="jpeg"
    )
    capture.store_fingerprints(ctx, clerk, draft, _fingers())
    canvas = SignatureCanvas()
    canvas.mark_cannot_sign("both hands in plaster")
    capture.store_signature(ctx, clerk, draft, canvas.finish())
    assert raw_rows(
        ctx,
        "SELECT image_sealed IS NULL, cannot_sign, cannot_sign_reason FROM signatures "
        f"WHERE application_id = {draft}",
    ) == [(True, True, "both hands in plaster")]
    enrolment.mark_biometrics_captured(ctx, clerk, draft)
    with ctx.uow() as uow:
        assert uow.session.get(Application, draft).state == State.BIOMETRICS_CAPTURED
    events = audit.history(ctx, world.supervisor, "application", draft)
    assert [e.details for e in events if e.action == "signature.stored"] == [{"cannot_sign": True}]


def test_empty_signature_is_refused(ctx, world, draft):
    with pytest.raises(EmptySignature):
        capture.store_signature(ctx, world.clerk, draft, SignatureResult(None, False, None, ()))
    assert raw_rows(ctx, f"SELECT count(*) FROM signatures WHERE application_id = {draft}") == [
        (0,)
    ]


def test_exception_text_keeps_kind_and_words():
    assert capture.exception_text(FingerException(ExceptionKind.AMPUTATED, "Amputated")) == (
        "amputated"
    )
    assert capture.exception_text(FingerException(ExceptionKind.INJURED, " burn ")) == (
        "injured: burn"
    )
