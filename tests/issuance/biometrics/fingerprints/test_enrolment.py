from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from devices.fingerprint.sbi_client import SbiScanner
from devtools.sbi_simulator.server import SbiSimulator
from issuance.biometrics.fingerprints import (
    CaptureStep,
    EnrolmentIncomplete,
    EnrolmentPlan,
    ExceptionKind,
    FingerprintEnrolment,
    FingerprintSession,
    FingerRecord,
    OverrideNeedsCapture,
    OverrideNotNeeded,
    ReasonRequired,
    StepNotPending,
    StepState,
    SupervisorRequired,
    choose_chip_fingers,
)
from issuance.ports import iso19794_4
from issuance.ports.fingerprint_errors import ScannerBusy
from issuance.ports.fingerprint_images import record_pixels
from issuance.ports.fingerprint_model import Finger, Slap
from tests.issuance.biometrics.fingerprints.ridge_checks import assert_ridge_image

LEFT_STEP = CaptureStep(Slap.LEFT, Slap.LEFT.fingers)


@pytest.fixture
def session(scanner: SbiScanner) -> Iterator[FingerprintSession]:
    yield FingerprintSession(scanner, FingerprintEnrolment(), timeout_s=10)


def _decode(png: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    assert image is not None
    return image


def _record_image(template: bytes, finger: Finger) -> np.ndarray:
    """The template is the scanner's 19794-4 record of ``finger``; its pixels."""
    record = iso19794_4.parse(template)
    (representation,) = record.representations
    assert representation.finger is finger and representation.resolution_ppi == (500, 500)
    assert representation.compression is iso19794_4.Compression.PNG
    # The embedded PNG itself, bit for bit what the record's decoder returns.
    assert np.array_equal(_decode(representation.image), record_pixels(representation))
    return record_pixels(representation)


def test_ten_fingers_by_slaps(session: FingerprintSession) -> None:
    outcomes = session.run_until_blocked(timeout_s=30)
    assert [o.step.slap for o in outcomes] == [Slap.LEFT, Slap.RIGHT, Slap.THUMBS]
    assert all(o.state is StepState.DONE for o in outcomes)
    result = session.enrolment.result()
    assert [r.finger for r in result.records] == [
        *Slap.LEFT.fingers,
        *Slap.RIGHT.fingers,
        *Slap.THUMBS.fingers,
    ]
    for record in result.records:
        assert record.template is not None and record.template.startswith(b"FIR\x00020\x00")
        image = _record_image(record.template, record.finger)
        assert image.ndim == 2 and image.dtype == np.uint8  # greyscale, 8 bit
        assert_ridge_image(image)
        assert record.quality is not None and record.quality >= 40
        assert record.attempts == 1 and record.exception is None and record.override is None
    assert result.chip_fingers == (Finger.RIGHT_INDEX, Finger.LEFT_INDEX)


def test_ten_single_flats(session: FingerprintSession) -> None:
    session.enrolment = FingerprintEnrolment(EnrolmentPlan.single_flats())
    outcomes = session.run_until_blocked(timeout_s=30)
    assert len(outcomes) == 10
    assert all(len(o.step.fingers) == 1 for o in outcomes)
    assert session.enrolment.complete
    assert all(r.template for r in session.enrolment.result().records)


def test_low_quality_retries_then_supervisor_override(
    session: FingerprintSession, simulator: SbiSimulator
) -> None:
    simulator.configure(low_quality=["Left IndexFinger"])
    outcomes = session.run_until_blocked(timeout_s=30)
    left = [o for o in outcomes if o.step.slap is Slap.LEFT]
    assert len(left) == 4  # the first capture and three retries
    assert [o.retries_left for o in left] == [3, 2, 1, 0]
    assert left[-1].state is StepState.NEEDS_OVERRIDE
    assert left[-1].below_threshold == (Finger.LEFT_INDEX,)
    enrolment = session.enrolment
    assert enrolment.next_step() is None
    assert [s.slap for s in enrolment.steps_needing_override()] == [Slap.LEFT]
    with pytest.raises(EnrolmentIncomplete) as caught:
        enrolment.result()
    assert "Left IndexFinger" in caught.value.message("en")
    step = enrolment.steps_needing_override()[0]
    with pytest.raises(ReasonRequired):
        enrolment.override(step, "sup-7", "  ")
    with pytest.raises(SupervisorRequired):
        enrolment.override(step, "", "worn ridges")
    assert enrolment.override(step, "sup-7", "worn ridges, manual labourer") == (Finger.LEFT_INDEX,)
    result = enrolment.result()
    index = result.record(Finger.LEFT_INDEX)
    assert index.override is not None and index.override.supervisor_id == "sup-7"
    assert index.attempts == 4 and index.quality is not None and index.quality < 40
    assert index.template is not None
    assert result.record(Finger.LEFT_MIDDLE).override is None
    # The weak left index is not put on the chip; the left middle finger replaces it.
    assert result.chip_fingers == (Finger.RIGHT_INDEX, Finger.LEFT_MIDDLE)


def test_retry_that_succeeds_needs_no_override(
    session: FingerprintSession, simulator: SbiSimulator
) -> None:
    simulator.configure(low_quality={"Right MiddleFinger": 2})
    session.run_until_blocked(timeout_s=30)
    result = session.enrolment.result()
    middle = result.record(Finger.RIGHT_MIDDLE)
    assert middle.attempts == 3 and middle.override is None
    assert middle.quality is not None and middle.quality >= 40
    assert result.record(Finger.RIGHT_INDEX).attempts == 1  # accepted fingers stop counting


def test_declared_exception_is_not_requested_and_is_recorded(
    session: FingerprintSession,
) -> None:
    enrolment = session.enrolment
    with pytest.raises(ReasonRequired):
        enrolment.mark_exception(Finger.LEFT_INDEX, ExceptionKind.AMPUTATED, "")
    enrolment.mark_exception(Finger.LEFT_INDEX, ExceptionKind.AMPUTATED, "lost in 2019")
    request = enrolment.request_for(LEFT_STEP)
    assert Finger.LEFT_INDEX not in request.fingers
    assert request.exceptions == (Finger.LEFT_INDEX,)
    session.run_until_blocked(timeout_s=30)
    result = enrolment.result()
    index = result.record(Finger.LEFT_INDEX)
    assert index.template is None and index.exception is not None
    assert index.exception.kind is ExceptionKind.AMPUTATED
    assert index.exception.reason == "lost in 2019"
    assert result.chip_fingers == (Finger.RIGHT_INDEX, Finger.LEFT_MIDDLE)


def test_finger_never_seen_must_become_an_exception(
    session: FingerprintSession, simulator: SbiSimulator
) -> None:
    simulator.configure(missing=["Right RingFinger"])
    session.run_until_blocked(timeout_s=30)
    enrolment = session.enrolment
    (step,) = enrolment.steps_needing_override()
    assert step.slap is Slap.RIGHT
    with pytest.raises(OverrideNeedsCapture):
        enrolment.override(step, "sup-1", "accept")
    enrolment.mark_exception(Finger.RIGHT_RING, ExceptionKind.BANDAGED, "fresh cut")
    assert enrolment.complete
    assert enrolment.result().record(Finger.RIGHT_RING).exception is not None


def test_device_errors_are_not_attempts(
    session: FingerprintSession, simulator: SbiSimulator
) -> None:
    simulator.configure(mode="busy")
    with pytest.raises(ScannerBusy):
        session.capture_next().result(timeout=30)
    simulator.configure(mode="ready")
    outcome = session.capture_next().result(timeout=30)
    assert outcome.step.slap is Slap.LEFT and outcome.state is StepState.DONE
    session.run_until_blocked(timeout_s=30)
    assert session.enrolment.result().record(Finger.LEFT_INDEX).attempts == 1


def test_commands_out_of_turn_are_refused(session: FingerprintSession) -> None:
    enrolment = session.enrolment
    with pytest.raises(OverrideNotNeeded):
        enrolment.override(LEFT_STEP, "sup-1", "why not")
    first = session.capture_next().result(timeout=30)
    with pytest.raises(StepNotPending):
        enrolment.record(LEFT_STEP, _empty_result())
    assert first.state is StepState.DONE


def _empty_result():
    from issuance.ports.fingerprint_model import CaptureResult

    return CaptureResult((), "t")


def _record(finger: Finger, quality: float | None) -> FingerRecord:
    png = None if quality is None else b"png"
    return FingerRecord(finger, png, quality, 1)


@pytest.mark.parametrize(
    ("qualities", "expected"),
    [
        ({}, (Finger.RIGHT_INDEX, Finger.LEFT_INDEX)),
        (
            {Finger.RIGHT_INDEX: None, Finger.LEFT_INDEX: None},
            (Finger.RIGHT_MIDDLE, Finger.LEFT_MIDDLE),
        ),
        (
            {f: None for f in Slap.LEFT.fingers} | {Finger.LEFT_THUMB: None},
            (Finger.RIGHT_INDEX, Finger.RIGHT_MIDDLE),
        ),
        (
            {f: None for f in Slap.LEFT.fingers + Slap.RIGHT.fingers},
            (Finger.RIGHT_THUMB, Finger.LEFT_THUMB),
        ),
        (
            {
                Finger.RIGHT_INDEX: 20.0,
                Finger.RIGHT_MIDDLE: 30.0,
                Finger.RIGHT_RING: 25.0,
                Finger.RIGHT_THUMB: 10.0,
            },
            (Finger.RIGHT_MIDDLE, Finger.LEFT_INDEX),
        ),
    ],
)
def test_chip_finger_choice(qualities: dict[Finger, float | None], expected) -> None:
    records = [
        _record(f, qualities.get(f, 80.0))
        for f in (*Slap.LEFT.fingers, *Slap.RIGHT.fingers, *Slap.THUMBS.fingers)
    ]
    assert choose_chip_fingers(records, 40) == expected
