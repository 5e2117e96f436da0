"""The biometric capture step: drive the camera to an automatic photo, and store what the
camera, the fingerprint scanner and the signature pad produced.

Storing goes through ``issuance.services.enrolment`` only, so every image is sealed (AES-GCM)
before it reaches the database and every store is audited. A quality override is recorded under the
supervisor's own actor, never the clerk's: the supervisor who accepted the weak finger at the
desk authenticates and their actor is passed in.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from issuance.biometrics.fingerprints import (
    ExceptionKind,
    FingerException,
    FingerprintSet,
    FingerRecord,
    exception_kind_name,
)
from issuance.biometrics.photo import (
    AutoCapture,
    CapturedPhoto,
    Evaluation,
    PhotoEvaluator,
    Verdict,
)
from issuance.biometrics.photo.files import read_image
from issuance.biometrics.photo.messages import Check
from issuance.biometrics.photo.thresholds import PortraitLayout
from issuance.biometrics.signature import EmptySignature, SignatureResult
from issuance.errors import IssuanceError
from issuance.ports.camera import Camera, CameraState, CameraStatus, Frame
from issuance.ports.camera_errors import CameraError
from issuance.ports.fingerprint_model import Finger
from issuance.ports.iso19794_4 import STORED_FORMAT, enrolment_representation, parse
from issuance.security.permissions import Actor, UseCase, authorize
from issuance.services import enrolment, signature_drafts

if TYPE_CHECKING:
    from issuance.bootstrap import Context

FACE_KIND = "face"
# ``enrolment`` checks ("face", "face") for completeness: it is the archived ICAO portrait.
FACE_POSITION = "face"
# The small JPEG made for the chip's EF.DG2 (under 20 KB), kept so the card is encoded with
# exactly the bytes the clerk saw accepted.
CHIP_FACE_POSITION = "face_chip"
FINGER_KIND = "finger"

FINGER_POSITION: dict[Finger, str] = {
    Finger.RIGHT_THUMB: "right_thumb",
    Finger.RIGHT_INDEX: "right_index",
    Finger.RIGHT_MIDDLE: "right_middle",
    Finger.RIGHT_RING: "right_ring",
    Finger.RIGHT_LITTLE: "right_little",
    Finger.LEFT_THUMB: "left_thumb",
    Finger.LEFT_INDEX: "left_index",
    Finger.LEFT_MIDDLE: "left_middle",
    Finger.LEFT_RING: "left_ring",
    Finger.LEFT_LITTLE: "left_little",
}

# How long one wait on the frame queue lasts, so that a camera error or the deadline is
# noticed promptly even when no frame comes.
_POLL_S = 0.1


# -- refusals -------------------------------------------------------------------------------


def _failure_words(evaluation: Evaluation) -> tuple[str, str]:
    failing = [r for r in evaluation.checks if r.verdict is Verdict.FAIL]
    return " ".join(r.message_sq for r in failing), " ".join(r.message_en for r in failing)


class PhotoCaptureTimedOut(IssuanceError):
    """No photo within the time allowed; names what was wrong in the last failing frame."""

    def __init__(self, timeout_s: float, last_failure: Evaluation | None, frames: int) -> None:
        self.timeout_s = timeout_s
        self.frames = frames
        self.failing_checks: tuple[Check, ...] = (
            tuple(r.check for r in last_failure.failures) if last_failure else ()
        )
        head_sq = f"Fotoja nuk u bë brenda {timeout_s:g} sekondave."
        head_en = f"No photo was taken within {timeout_s:g} seconds."
        if frames == 0:
            sq, en = "Kamera nuk dha asnjë pamje.", "The camera delivered no picture."
        elif last_failure is None or not self.failing_checks:
            sq = "Aplikanti nuk qëndroi mjaftueshëm pa lëvizur."
            en = "The applicant did not keep still long enough."
        else:
            sq, en = _failure_words(last_failure)
        super().__init__(f"{head_sq} {sq}", f"{head_en} {en}")


class PhotoCaptureCancelled(IssuanceError):
    """The clerk stopped the capture (Retake, Back, closing the wizard)."""

    def __init__(self) -> None:
        super().__init__("Fotografimi u ndal.", "The photo capture was stopped.")


class CameraFailed(CameraError):
    """The camera went into an error state while the photo was being taken."""

    def __init__(self, status: CameraStatus) -> None:
        self.status = status
        super().__init__(
            f"Kamera pati një problem gjatë fotografimit: {status.reason_sq or 'pa arsye'}.",
            f"The camera failed while taking the photo: {status.reason_en or 'no reason given'}.",
        )


class PhotoNotAcceptable(IssuanceError):
    """A photo brought as a file fails the ICAO checks; the failing checks are named."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.failing_checks = tuple(r.check for r in evaluation.failures)
        sq, en = _failure_words(evaluation)
        super().__init__(
            f"Fotoja nuk i plotëson kërkesat. {sq}", f"The photo does not meet the rules. {en}"
        )


class OverrideNeedsSupervisor(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Disa gjurmë u pranuan me miratim: duhet identifikimi i mbikëqyrësit që i miratoi.",
            "Some fingers were accepted by an override: the approving supervisor must sign in.",
        )


class OverrideByAnotherSupervisor(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Miratimi i gjurmëve u dha nga një mbikëqyrës tjetër nga ai i identifikuar.",
            "The fingerprint override was given by a different supervisor than the one signed in.",
        )


# -- taking the photo -----------------------------------------------------------------------


def run_photo_capture(
    camera: Camera,
    evaluator: PhotoEvaluator,
    autocapture: AutoCapture,
    timeout_s: float,
    *,
    on_evaluation: Callable[[Frame, Evaluation], None] | None = None,
    cancel: threading.Event | None = None,
) -> CapturedPhoto:
    """Stream ``camera`` through the checks until ``autocapture`` takes a photo.

    Blocks the calling thread (the desk runs it on a worker): the camera streams on its own
    thread into a small queue that keeps only the newest frames. ``on_evaluation`` sees each
    judged frame (for the live frame colour and the messages). ``autocapture`` is reset first;
    the camera is stopped, not closed, on return. Raises ``PhotoCaptureTimedOut`` (naming the
    last failing checks), ``CameraFailed`` when the camera errs while streaming,
    ``CameraNotReady`` when it cannot start, or ``PhotoCaptureCancelled`` within one poll
    (0.1 s) of ``cancel`` being set, even when no frame arrives.
    """
    frames: queue.Queue[Frame] = queue.Queue(maxsize=2)
    autocapture.reset()
    deadline = time.monotonic() + timeout_s
    last_failure: Evaluation | None = None
    judged = 0
    camera.start(frames)
    try:
        while True:
            if cancel is not None and cancel.is_set():
                raise PhotoCaptureCancelled()
            status = camera.status
            if status.state is CameraState.ERROR:
                raise CameraFailed(status)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PhotoCaptureTimedOut(timeout_s, last_failure, judged)
            try:
                frame = frames.get(timeout=min(remaining, _POLL_S))
            except queue.Empty:
                continue
            evaluation = evaluator.evaluate(frame.image)
            judged += 1
            if not evaluation.acceptable:
                last_failure = evaluation
            if on_evaluation is not None:
                on_evaluation(frame, evaluation)
            photo = autocapture.feed(frame.image, evaluation)
            if photo is not None:
                return photo
    finally:
        camera.stop()


def photo_from_file(
    path: str | Path,
    evaluator: PhotoEvaluator | None = None,
    layout: PortraitLayout | None = None,
) -> CapturedPhoto:
    """A photo the applicant brought (scanned or as a file), held to the same checks as a
    camera frame and cut to the same portrait. Raises ``UnreadablePhoto`` or
    ``PhotoNotAcceptable``."""
    return photo_from_image(read_image(Path(path)), evaluator, layout)


def photo_from_image(
    image: np.ndarray,
    evaluator: PhotoEvaluator | None = None,
    layout: PortraitLayout | None = None,
) -> CapturedPhoto:
    """One still image held to the camera's checks and cut to the portrait."""
    evaluation = (evaluator or PhotoEvaluator()).evaluate(image)
    if not evaluation.acceptable:
        raise PhotoNotAcceptable(evaluation)
    photo = AutoCapture(required_frames=1, layout=layout).feed(image, evaluation)
    assert photo is not None  # one acceptable frame completes a run of one
    return photo


def face_quality(evaluation: Evaluation) -> int:
    """The face's quality summary 0–100: the share of ICAO checks that passed."""
    if not evaluation.checks:
        return 0
    passed = sum(1 for r in evaluation.checks if r.passed)
    return round(100 * passed / len(evaluation.checks))


# -- storing --------------------------------------------------------------------------------


def store_photo(ctx: Context, actor: Actor, application_id: int, photo: CapturedPhoto) -> None:
    """Store the archived portrait as ``face``/``face`` and the chip JPEG as ``face``/``face_chip``.

    Both are marked for the chip: the card encoder takes the ``face_chip`` bytes as they are."""
    quality = face_quality(photo.evaluation)
    enrolment.store_capture(
        ctx, actor, application_id, kind=FACE_KIND, position=FACE_POSITION,
        image=photo.portrait_jpeg, image_format="jpeg", quality=quality, for_chip=True,
    )  # fmt: skip
    enrolment.store_capture(
        ctx, actor, application_id, kind=FACE_KIND, position=CHIP_FACE_POSITION,
        image=photo.chip_jpeg, image_format="jpeg", quality=quality, for_chip=True,
    )  # fmt: skip


def exception_text(exception: FingerException) -> str:
    """How a finger exception is kept: its kind, then the clerk's words when they add any."""
    kind, reason = exception.kind.value, exception.reason.strip()
    if not reason or reason.casefold() == kind:
        return kind
    return f"{kind}: {reason}"


def exception_description(stored: str, language: str) -> str:
    """A stored exception (``exception_text``) in the operator's words: the kind named, the
    clerk's own words kept as typed."""
    code, _, words = stored.partition(": ")
    try:
        kind = ExceptionKind(code)
    except ValueError:
        return stored  # written before kinds were coded: already the clerk's words
    name = exception_kind_name(kind, language)
    return f"{name} — {words}" if words else name


def store_fingerprints(
    ctx: Context,
    actor: Actor,
    application_id: int,
    fingerprints: FingerprintSet,
    *,
    supervisor: Actor | None = None,
) -> None:
    """Store the ten fingers (template or exception); record each override under ``supervisor``.

    A template is the finger's ISO/IEC 19794-4:2011 record, stored (sealed) as it is; each is
    parsed and checked for its finger first (``iso19794_4.RecordError`` otherwise).

    When the set holds overrides, ``supervisor`` must be the supervisor who gave them (their
    username or operator id is what the enrolment recorded); this is checked before anything
    is stored, so a refusal leaves the application as it was.
    """
    authorize(actor, UseCase.ENROL)
    overridden = [r for r in fingerprints.records if r.override is not None]
    if overridden:
        _check_supervisor(supervisor, overridden)
    for record in fingerprints.records:
        if record.template is not None:
            enrolment_representation(parse(record.template), record.finger)
    for record in fingerprints.records:
        _store_finger(ctx, actor, application_id, record)
    for record in overridden:
        assert supervisor is not None and record.override is not None
        record_override(ctx, supervisor, application_id, record.finger, record.override.reason)


def _check_supervisor(supervisor: Actor | None, overridden: list[FingerRecord]) -> None:
    if supervisor is None:
        raise OverrideNeedsSupervisor()
    authorize(supervisor, UseCase.OVERRIDE_QUALITY)
    identities = {supervisor.username}
    if supervisor.operator_id is not None:
        identities.add(str(supervisor.operator_id))
    for record in overridden:
        assert record.override is not None
        if record.override.supervisor_id not in identities:
            raise OverrideByAnotherSupervisor()


def _store_finger(ctx: Context, actor: Actor, application_id: int, record: FingerRecord) -> None:
    position = FINGER_POSITION[record.finger]
    if record.exception is not None:
        enrolment.store_capture(
            ctx, actor, application_id, kind=FINGER_KIND, position=position,
            image=None, image_format=None, attempts=record.attempts,
            exception_reason=exception_text(record.exception), for_chip=False,
        )  # fmt: skip
        return
    enrolment.store_capture(
        ctx, actor, application_id, kind=FINGER_KIND, position=position,
        image=record.template, image_format=STORED_FORMAT,
        quality=None if record.quality is None else round(record.quality),
        attempts=record.attempts, for_chip=record.for_chip,
    )  # fmt: skip


def record_override(
    ctx: Context, supervisor: Actor, application_id: int, finger: Finger, reason: str
) -> None:
    """The supervisor accepts a stored finger below the quality threshold, with a reason."""
    enrolment.override_quality(
        ctx, supervisor, application_id, kind=FINGER_KIND, position=FINGER_POSITION[finger],
        reason=reason,
    )  # fmt: skip


def store_signature(
    ctx: Context, actor: Actor, application_id: int, result: SignatureResult
) -> None:
    """Store the signature PNG, or "cannot sign" with its reason."""
    if result.cannot_sign:
        enrolment.store_signature(
            ctx, actor, application_id, image=None, cannot_sign_reason=result.reason
        )
    elif not result.png:
        raise EmptySignature()
    else:
        enrolment.store_signature(ctx, actor, application_id, image=result.png)
    signature_drafts.forget(ctx, actor, application_id)  # stored: the strokes have done their job
