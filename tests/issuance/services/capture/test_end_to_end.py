"""The whole capture step without a window: fake camera, SBI simulator, replayed signature."""

from __future__ import annotations

import cv2
import numpy as np

from devices.camera import open_camera
from devices.fingerprint.sbi_client import SbiScanner
from devices.signature import ReplayPad
from devtools.sbi_simulator.server import SbiSimulator
from issuance.biometrics.fingerprints import (
    ExceptionKind,
    FingerprintEnrolment,
    FingerprintSession,
    StepState,
)
from issuance.biometrics.photo import AutoCapture, Check
from issuance.biometrics.signature import SignatureCanvas
from issuance.db.models import Application
from issuance.domain.workflow import State
from issuance.ports import iso19794_4
from issuance.ports.fingerprint_images import png_ppi, record_pixels
from issuance.ports.fingerprint_model import Finger, Slap
from issuance.queries import batches
from issuance.security import audit
from issuance.services import capture, enrolment
from tests.conftest import raw_rows
from tests.issuance.biometrics.fingerprints.ridge_checks import assert_ridge_image
from tests.issuance.services.capture.conftest import signature_recording

OVERRIDE_REASON = "worn ridges, manual labourer"


def _decode(data: bytes, flags: int = cv2.IMREAD_UNCHANGED) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    assert image is not None
    return image


def test_capture_and_store_a_whole_application(
    ctx, world, draft, sitting_down, evaluator, scanner: SbiScanner, simulator: SbiSimulator
):
    application_id = draft
    supervisor = world.supervisor

    # 1. Photo: the file camera plays the applicant sitting down; auto-capture takes it.
    camera = open_camera(sitting_down, fps=60)
    try:
        photo = capture.run_photo_capture(
            camera, evaluator, AutoCapture(required_frames=5), timeout_s=20
        )
    finally:
        camera.close()
    capture.store_photo(ctx, world.clerk, application_id, photo)

    # 2. Fingers, as slaps on the SBI simulator: the right little finger is amputated, the
    # left index stays smudged through every retry and the supervisor accepts it.
    simulator.configure(low_quality=["Left IndexFinger"])
    fingers = FingerprintEnrolment()
    fingers.mark_exception(Finger.RIGHT_LITTLE, ExceptionKind.AMPUTATED, "amputated")
    session = FingerprintSession(scanner, fingers, timeout_s=10)
    outcomes = session.run_until_blocked(timeout_s=30)
    left = [o for o in outcomes if o.step.slap is Slap.LEFT]
    assert len(left) == 4 and left[-1].state is StepState.NEEDS_OVERRIDE
    (step,) = fingers.steps_needing_override()
    fingers.override(step, str(supervisor.operator_id), OVERRIDE_REASON)
    fingerprints = fingers.result()
    capture.store_fingerprints(
        ctx, world.clerk, application_id, fingerprints, supervisor=supervisor
    )

    # 3. Signature replayed from a pad recording.
    canvas = SignatureCanvas()
    pad = ReplayPad(signature_recording())
    pad.start(canvas.handle)
    assert pad.wait(5)
    capture.store_signature(ctx, world.clerk, application_id, canvas.finish())

    enrolment.mark_biometrics_captured(ctx, world.clerk, application_id)

    # -- the database --
    with ctx.uow() as uow:
        assert uow.session.get(Application, application_id).state == State.BIOMETRICS_CAPTURED

    rows = raw_rows(
        ctx,
        "SELECT position, data_sealed IS NULL, image_format, quality, attempts, "
        "exception_reason, override_by_id, override_reason, for_chip "
        f"FROM biometric_captures WHERE application_id = {application_id} AND kind = 'finger'",
    )
    by_position = {row[0]: row[1:] for row in rows}
    assert sorted(by_position) == sorted(enrolment.FINGER_POSITIONS)
    no_image, image_format, quality, attempts, reason, override_by, _, chip = by_position[
        "right_little"
    ]
    assert no_image and image_format is None and quality is None
    assert reason == "amputated" and not chip
    _, _, quality, attempts, reason, override_by, override_reason, _ = by_position["left_index"]
    assert override_by == supervisor.operator_id and override_reason == OVERRIDE_REASON
    assert attempts == 4 and quality < 40 and reason is None
    assert [p for p, row in by_position.items() if row[5] is not None] == ["left_index"]
    assert [p for p, row in by_position.items() if row[4] is not None] == ["right_little"]
    # The weak left index is not put on the chip: the left middle finger replaces it.
    assert sorted(p for p, row in by_position.items() if row[7]) == ["left_middle", "right_index"]

    shown = {
        f.position: f for f in batches.application_media(ctx, supervisor, application_id).fingers
    }
    for position in enrolment.FINGER_POSITIONS:
        template = enrolment.read_capture(ctx, supervisor, application_id, "finger", position)
        if position == "right_little":
            assert template is None and shown[position].image is None
            continue
        # The stored template is the scanner's ISO/IEC 19794-4:2011 record of that finger.
        assert template is not None and template.startswith(b"FIR\x00020\x00")
        (representation,) = iso19794_4.parse(template).representations
        assert representation.finger is not None
        assert capture.FINGER_POSITION[representation.finger] == position
        image = record_pixels(representation)
        assert image.ndim == 2 and image.dtype == np.uint8
        if position != "left_index":  # the overridden one is smudged by design
            assert_ridge_image(image)
        # The supervisor's screen gets the same pixels as a 500 ppi PNG.
        png = shown[position].image
        assert png is not None and png.startswith(b"\x89PNG") and png_ppi(png) == 500
        assert np.array_equal(_decode(png), image)

    portrait_jpeg = enrolment.read_capture(ctx, world.clerk, application_id, "face", "face")
    assert portrait_jpeg == photo.portrait_jpeg and portrait_jpeg.startswith(b"\xff\xd8\xff")
    portrait = _decode(portrait_jpeg, cv2.IMREAD_COLOR)
    assert abs(portrait.shape[1] / portrait.shape[0] - 35 / 45) < 0.005
    again = evaluator.evaluate(portrait)
    assert again.acceptable and again.value(Check.FACE_COUNT) == 1
    chip_jpeg = enrolment.read_capture(ctx, world.clerk, application_id, "face", "face_chip")
    assert chip_jpeg is not None and len(chip_jpeg) < 20_000
    chip = _decode(chip_jpeg, cv2.IMREAD_COLOR)
    assert abs(chip.shape[1] / chip.shape[0] - 35 / 45) < 0.01
    face_rows = raw_rows(
        ctx,
        "SELECT position, quality, for_chip, image_format FROM biometric_captures "
        f"WHERE application_id = {application_id} AND kind = 'face' ORDER BY position",
    )
    assert [(r[0], r[1], bool(r[2]), r[3]) for r in face_rows] == [
        ("face", 100, True, "jpeg"),
        ("face_chip", 100, True, "jpeg"),
    ]

    ((sealed, cannot_sign, cannot_reason),) = raw_rows(
        ctx,
        "SELECT image_sealed, cannot_sign, cannot_sign_reason FROM signatures "
        f"WHERE application_id = {application_id}",
    )
    assert not cannot_sign and cannot_reason is None
    assert not bytes(sealed).startswith(b"\x89PNG")
    signature_png = ctx.sealer.open(bytes(sealed), enrolment.signature_context(application_id))
    signature = _decode(signature_png)
    assert signature.ndim == 2 and (signature < 128).sum() > 200
    assert signature[0, 0] == 255  # white paper around the ink

    # -- the audit trail --
    events = audit.history(ctx, supervisor, "application", application_id)
    stored = [e for e in events if e.action == "capture.stored"]
    assert len(stored) == 12 and {e.actor for e in stored} == {world.clerk.username}
    assert {(e.details["kind"], e.details["position"]) for e in stored} == {
        ("face", "face"), ("face", "face_chip"),
        *(("finger", p) for p in enrolment.FINGER_POSITIONS),
    }  # fmt: skip
    (override,) = [e for e in events if e.action == "capture.override"]
    assert override.actor == supervisor.username
    assert override.details == {
        "kind": "finger", "position": "left_index", "reason": OVERRIDE_REASON
    }  # fmt: skip
    assert [e.actor for e in events if e.action == "signature.stored"] == [world.clerk.username]
    transitions = [e.details["to"] for e in events if e.action == "application.transition"]
    assert transitions[-1] == State.BIOMETRICS_CAPTURED
    assert audit.verify(ctx, supervisor).intact
