"""Ten-finger enrolment: the capture plan, quality retries, supervisor overrides, exceptions.

Rules (DESIGN.md, step 4):

- Plan: three slaps 4-4-2 (left four, right four, both thumbs) or ten single flats.
- A finger is accepted when a capture reaches the quality threshold (default 40/100). The
  best capture of each finger is kept across attempts.
- A placement (slap or single finger) may be retried up to ``max_retries`` times (default 3,
  so at most 4 captures) while any of its fingers is below the threshold. After that the step
  waits for a supervisor override with a reason (the permission check is the caller's); the
  override accepts each remaining finger's best capture. A finger never seen by the scanner
  cannot be overridden: the clerk records it as an exception instead.
- A finger that cannot be captured (missing, amputated, bandaged, ...) is an exception with a
  reason; it is not requested from the scanner (it goes in the SBI ``exception`` list).
- The result is ten records, each with a template or an exception, and up to two fingers
  marked for the chip (see ``choose_chip_fingers``). A template is the ISO/IEC 19794-4:2011
  finger image record the scanner sent for the best capture, byte for byte; a scanner that
  gave only pixels gets one built around a lossless 500 ppi PNG.
- Quality is the scanner's own score (0-100). No NFIQ 2 implementation is installed here, so
  nothing is computed or called NFIQ by the desk.

Device errors (busy, timeout, unplugged) are not attempts: the finger was not judged.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np

from issuance.errors import IssuanceError
from issuance.labels import in_language
from issuance.ports.fingerprint import FingerprintScanner
from issuance.ports.fingerprint_images import finger_template
from issuance.ports.fingerprint_model import (
    ALL_FINGERS,
    CaptureRequest,
    CaptureResult,
    Finger,
    Slap,
)

DEFAULT_THRESHOLD = 40.0
DEFAULT_MAX_RETRIES = 3

# Preference for the chip, per hand (EU passport practice, Commission Decision C(2006) 2909:
# index fingers; if unusable the middle, then the ring finger, then the thumb). Little
# fingers are a last resort of ours so that a card never goes without any finger it could have.
CHIP_PREFERENCE = {
    "right": (Finger.RIGHT_INDEX, Finger.RIGHT_MIDDLE, Finger.RIGHT_RING, Finger.RIGHT_THUMB),
    "left": (Finger.LEFT_INDEX, Finger.LEFT_MIDDLE, Finger.LEFT_RING, Finger.LEFT_THUMB),
}
_LAST_RESORT = (Finger.RIGHT_LITTLE, Finger.LEFT_LITTLE)

FINGER_NAMES_SQ = {
    Finger.LEFT_THUMB: "gishti i madh i dorës së majtë",
    Finger.LEFT_INDEX: "gishti tregues i dorës së majtë",
    Finger.LEFT_MIDDLE: "gishti i mesëm i dorës së majtë",
    Finger.LEFT_RING: "gishti i unazës i dorës së majtë",
    Finger.LEFT_LITTLE: "gishti i vogël i dorës së majtë",
    Finger.RIGHT_THUMB: "gishti i madh i dorës së djathtë",
    Finger.RIGHT_INDEX: "gishti tregues i dorës së djathtë",
    Finger.RIGHT_MIDDLE: "gishti i mesëm i dorës së djathtë",
    Finger.RIGHT_RING: "gishti i unazës i dorës së djathtë",
    Finger.RIGHT_LITTLE: "gishti i vogël i dorës së djathtë",
}


def _names(fingers: Iterable[Finger]) -> tuple[str, str]:
    fingers = list(fingers)
    return (
        ", ".join(FINGER_NAMES_SQ[f] for f in fingers),
        ", ".join(f.value for f in fingers),
    )


# -- refusals -------------------------------------------------------------------------------


class ReasonRequired(IssuanceError):
    def __init__(self) -> None:
        super().__init__("Shkruani arsyen.", "Enter the reason.")


class SupervisorRequired(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Miratimi kërkon identifikimin e mbikëqyrësit.",
            "The override needs the supervisor's identity.",
        )


class StepNotPending(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Ky hap i kapjes së gjurmëve nuk pret më kapje.",
            "This fingerprint step is not waiting for a capture.",
        )


class NothingToCapture(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Nuk ka më gjurmë për të kapur; mund të kërkohet miratimi i mbikëqyrësit.",
            "There is nothing left to capture; a supervisor override may be needed.",
        )


class OverrideNotNeeded(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Ky hap nuk ka gjurmë që presin miratimin e mbikëqyrësit.",
            "This step has no fingers waiting for a supervisor override.",
        )


class OverrideNeedsCapture(IssuanceError):
    def __init__(self, fingers: Iterable[Finger]) -> None:
        sq, en = _names(fingers)
        super().__init__(
            f"Skaneri nuk e pa asnjëherë: {sq}. Regjistrojeni si përjashtim me arsye.",
            f"The scanner never saw: {en}. Record it as an exception with a reason.",
        )


class EnrolmentIncomplete(IssuanceError):
    def __init__(self, fingers: Iterable[Finger]) -> None:
        sq, en = _names(fingers)
        super().__init__(
            f"Gjurmët nuk janë përfunduar. Mungojnë: {sq}.",
            f"The fingerprints are not finished. Still open: {en}.",
        )


# -- data -----------------------------------------------------------------------------------


class ExceptionKind(enum.Enum):
    MISSING = "missing"
    AMPUTATED = "amputated"
    BANDAGED = "bandaged"
    INJURED = "injured"
    UNREADABLE = "unreadable"
    OTHER = "other"


EXCEPTION_NAMES: dict[ExceptionKind, tuple[str, str]] = {
    ExceptionKind.MISSING: ("mungon", "missing"),
    ExceptionKind.AMPUTATED: ("i amputuar", "amputated"),
    ExceptionKind.BANDAGED: ("i fashuar", "bandaged"),
    ExceptionKind.INJURED: ("i lënduar", "injured"),
    ExceptionKind.UNREADABLE: ("i palexueshëm", "unreadable"),
    ExceptionKind.OTHER: ("tjetër", "other"),
}


def exception_kind_name(kind: ExceptionKind, language: str) -> str:
    return in_language(EXCEPTION_NAMES, kind, language, default=kind.value)


@dataclass(frozen=True)
class FingerException:
    kind: ExceptionKind
    reason: str


@dataclass(frozen=True)
class SupervisorOverride:
    supervisor_id: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class FingerRecord:
    """One finger of the final set: its template (a 19794-4 record), or an exception."""

    finger: Finger
    template: bytes | None
    quality: float | None
    attempts: int
    exception: FingerException | None = None
    override: SupervisorOverride | None = None
    for_chip: bool = False


@dataclass(frozen=True)
class FingerprintSet:
    """The ten records in ``ALL_FINGERS`` order, and the chip's fingers in chip order."""

    records: tuple[FingerRecord, ...]
    chip_fingers: tuple[Finger, ...]

    def record(self, finger: Finger) -> FingerRecord:
        return next(r for r in self.records if r.finger is finger)


@dataclass(frozen=True)
class CaptureStep:
    """One placement of the plan."""

    slap: Slap
    fingers: tuple[Finger, ...]


@dataclass(frozen=True)
class EnrolmentPlan:
    name: str
    steps: tuple[CaptureStep, ...]

    @classmethod
    def slaps(cls) -> EnrolmentPlan:
        """Left four, right four, two thumbs (4-4-2)."""
        return cls(
            "4-4-2", tuple(CaptureStep(s, s.fingers) for s in (Slap.LEFT, Slap.RIGHT, Slap.THUMBS))
        )

    @classmethod
    def single_flats(cls) -> EnrolmentPlan:
        """Ten single flat fingers, right hand first (thumb to little), then the left."""
        order = (
            Finger.RIGHT_THUMB, Finger.RIGHT_INDEX, Finger.RIGHT_MIDDLE, Finger.RIGHT_RING,
            Finger.RIGHT_LITTLE, Finger.LEFT_THUMB, Finger.LEFT_INDEX, Finger.LEFT_MIDDLE,
            Finger.LEFT_RING, Finger.LEFT_LITTLE,
        )  # fmt: skip
        return cls("single", tuple(CaptureStep(f.slap, (f,)) for f in order))


class StepState(enum.Enum):
    PENDING = "pending"
    NEEDS_OVERRIDE = "needs_override"
    DONE = "done"


@dataclass(frozen=True)
class StepOutcome:
    """How a step stands after a capture."""

    step: CaptureStep
    state: StepState
    accepted: tuple[Finger, ...]
    below_threshold: tuple[Finger, ...]
    not_detected: tuple[Finger, ...]
    retries_left: int


@dataclass(frozen=True)
class _Best:
    image: np.ndarray
    quality: float
    record: bytes | None = None


# -- the enrolment --------------------------------------------------------------------------


class FingerprintEnrolment:
    """State of one applicant's ten-finger capture; safe to use from several threads."""

    def __init__(
        self,
        plan: EnrolmentPlan | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> None:
        self.plan = plan or EnrolmentPlan.slaps()
        self.threshold = threshold
        self.max_retries = max_retries
        self._lock = threading.RLock()
        self._best: dict[Finger, _Best] = {}
        self._attempts: dict[Finger, int] = dict.fromkeys(ALL_FINGERS, 0)
        self._exceptions: dict[Finger, FingerException] = {}
        self._overrides: dict[Finger, SupervisorOverride] = {}

    # queries

    def state(self, step: CaptureStep) -> StepState:
        with self._lock:
            pending = self._pending(step)
            if not pending:
                return StepState.DONE
            if any(self._attempts[f] > self.max_retries for f in pending):
                return StepState.NEEDS_OVERRIDE
            return StepState.PENDING

    def next_step(self) -> CaptureStep | None:
        """The first step still waiting for a capture (steps awaiting an override are skipped)."""
        with self._lock:
            return next((s for s in self.plan.steps if self.state(s) is StepState.PENDING), None)

    def steps_needing_override(self) -> tuple[CaptureStep, ...]:
        with self._lock:
            return tuple(s for s in self.plan.steps if self.state(s) is StepState.NEEDS_OVERRIDE)

    @property
    def complete(self) -> bool:
        with self._lock:
            return all(self.state(s) is StepState.DONE for s in self.plan.steps)

    def request_for(self, step: CaptureStep, timeout_s: float = 10.0) -> CaptureRequest:
        """The scanner request for ``step``: every finger on the platen, exceptions declared.

        Accepted fingers are captured again with the others (a slap scanner sees the whole
        hand anyway); only a better capture replaces what we have.
        """
        with self._lock:
            fingers = tuple(f for f in step.fingers if f not in self._exceptions)
            excepted = tuple(f for f in step.fingers if f in self._exceptions)
        return CaptureRequest(step.slap, fingers, excepted, int(round(self.threshold)), timeout_s)

    # commands

    def record(self, step: CaptureStep, result: CaptureResult) -> StepOutcome:
        """Take one capture of ``step`` into account."""
        with self._lock:
            if self.state(step) is not StepState.PENDING:
                raise StepNotPending()
            pending = set(self._pending(step))
            captured = result.by_finger()
            for finger in step.fingers:
                if finger in self._exceptions:
                    continue
                if finger in pending:
                    self._attempts[finger] += 1
                shot = captured.get(finger)
                if shot is None or not shot.detected or shot.image is None:
                    continue
                best = self._best.get(finger)
                if best is None or shot.quality > best.quality:
                    self._best[finger] = _Best(shot.image, float(shot.quality), shot.record)
            return self._outcome(step)

    def mark_exception(self, finger: Finger, kind: ExceptionKind, reason: str) -> None:
        """Record that ``finger`` cannot be captured; drops any capture or override of it."""
        if not reason.strip():
            raise ReasonRequired()
        with self._lock:
            self._exceptions[finger] = FingerException(kind, reason.strip())
            self._best.pop(finger, None)
            self._overrides.pop(finger, None)

    def clear_exception(self, finger: Finger) -> None:
        with self._lock:
            self._exceptions.pop(finger, None)
            self._attempts[finger] = 0

    def override(
        self, step: CaptureStep, supervisor_id: str, reason: str, at: datetime | None = None
    ) -> tuple[Finger, ...]:
        """Accept the best captures below threshold of a step that ran out of retries."""
        if not supervisor_id.strip():
            raise SupervisorRequired()
        if not reason.strip():
            raise ReasonRequired()
        with self._lock:
            if self.state(step) is not StepState.NEEDS_OVERRIDE:
                raise OverrideNotNeeded()
            pending = self._pending(step)
            unseen = [f for f in pending if f not in self._best]
            if unseen:
                raise OverrideNeedsCapture(unseen)
            decision = SupervisorOverride(supervisor_id.strip(), reason.strip(), at or _now())
            for finger in pending:
                self._overrides[finger] = decision
            return pending

    def result(self) -> FingerprintSet:
        """The ten records; refused until every step is done."""
        with self._lock:
            open_fingers = [f for s in self.plan.steps for f in self._pending(s)]
            if open_fingers:
                raise EnrolmentIncomplete(open_fingers)
            drafts = [self._draft(f) for f in ALL_FINGERS]
        chip = choose_chip_fingers(drafts, self.threshold)
        records = tuple(replace(r, for_chip=r.finger in chip) for r in drafts)
        return FingerprintSet(records, chip)

    # internals

    def _pending(self, step: CaptureStep) -> tuple[Finger, ...]:
        return tuple(
            f
            for f in step.fingers
            if f not in self._exceptions and f not in self._overrides and not self._accepted(f)
        )

    def _accepted(self, finger: Finger) -> bool:
        best = self._best.get(finger)
        return best is not None and best.quality >= self.threshold

    def _outcome(self, step: CaptureStep) -> StepOutcome:
        live = [f for f in step.fingers if f not in self._exceptions]
        accepted = tuple(f for f in live if self._accepted(f) or f in self._overrides)
        unseen = tuple(f for f in live if f not in self._best)
        below = tuple(f for f in live if f not in accepted and f not in unseen)
        pending = self._pending(step)
        used = max((self._attempts[f] for f in pending), default=0)
        return StepOutcome(
            step, self.state(step), accepted, below, unseen, max(0, self.max_retries + 1 - used)
        )

    def _draft(self, finger: Finger) -> FingerRecord:
        if finger in self._exceptions:
            return FingerRecord(
                finger, None, None, self._attempts[finger], self._exceptions[finger]
            )
        best = self._best[finger]
        template = best.record or finger_template(finger, best.image, best.quality)
        return FingerRecord(
            finger,
            template,
            best.quality,
            self._attempts[finger],
            None,
            self._overrides.get(finger),
        )


def choose_chip_fingers(records: Iterable[FingerRecord], threshold: float) -> tuple[Finger, ...]:
    """Two fingers for the chip, right hand first.

    Per hand, the first of index, middle, ring, thumb whose capture meets the threshold; if
    none does, the best-quality capture among them (an overridden one). If one hand has no
    usable finger at all, the next finger of the other hand by the same preference is taken
    instead. Little fingers are used only when nothing else exists. Fewer than two fingers
    come back only when fewer than two were captured.
    """
    usable = {r.finger: r for r in records if r.template is not None and r.quality is not None}

    def pick(candidates: Iterable[Finger], taken: set[Finger]) -> Finger | None:
        options = [f for f in candidates if f in usable and f not in taken]
        good = [f for f in options if (usable[f].quality or 0) >= threshold]
        if good:
            return good[0]
        return max(options, key=lambda f: usable[f].quality or 0, default=None)

    chosen: list[Finger] = []
    for hand in ("right", "left"):
        finger = pick(CHIP_PREFERENCE[hand], set(chosen))
        if finger is not None:
            chosen.append(finger)
    for hand in ("right", "left"):
        if len(chosen) >= 2:
            break
        finger = pick(CHIP_PREFERENCE[hand], set(chosen))
        if finger is not None:
            chosen.append(finger)
    if len(chosen) < 2:
        for finger in _LAST_RESORT:
            if finger in usable and finger not in chosen and len(chosen) < 2:
                chosen.append(finger)
    return tuple(chosen)


# -- driving a scanner ----------------------------------------------------------------------


class FingerprintSession:
    """Drives a scanner through an enrolment; every capture runs on the scanner's thread."""

    def __init__(
        self,
        scanner: FingerprintScanner,
        enrolment: FingerprintEnrolment | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.scanner = scanner
        self.enrolment = enrolment or FingerprintEnrolment()
        self.timeout_s = timeout_s

    def capture_next(
        self, on_done: Callable[[Future[StepOutcome]], None] | None = None
    ) -> Future[StepOutcome]:
        """Capture the next pending step; the future gives its outcome or a ``ScannerError``."""
        step = self.enrolment.next_step()
        if step is None:
            raise NothingToCapture()
        request = self.enrolment.request_for(step, self.timeout_s)
        outcome: Future[StepOutcome] = Future()
        outcome.set_running_or_notify_cancel()

        def finish(capture: Future[CaptureResult]) -> None:
            try:
                outcome.set_result(self.enrolment.record(step, capture.result()))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller via the future
                outcome.set_exception(exc)

        self.scanner.capture(request).add_done_callback(finish)
        if on_done is not None:
            outcome.add_done_callback(on_done)
        return outcome

    def run_until_blocked(self, timeout_s: float | None = None) -> list[StepOutcome]:
        """Capture step after step until done or a step needs an override (for scripts, tests)."""
        outcomes = []
        while self.enrolment.next_step() is not None:
            outcomes.append(self.capture_next().result(timeout=timeout_s))
        return outcomes


def _now() -> datetime:
    return datetime.now(UTC)
