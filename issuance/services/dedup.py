"""1:N de-duplication by face and fingerprints: one person enrolling twice under two passports.

At submission the applicant's face vector and the minutiae of both thumbs and index fingers
(``biometric_templates``) are searched among every other enrolled applicant and card holder
and then stored, sealed. The supervisor sees each other application found, with what matched
(face and/or fingers) and the scores, and cannot approve before deciding on each: the same
person rejects the application, another person is a recorded decision with a reason
(audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from issuance.db.models import Applicant, Application, DuplicateDecision
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize, require_office
from issuance.security.sealing import Sealer
from issuance.services import biometric_templates as templates
from issuance.services.biometric_templates import template_context  # noqa: F401 - tests

if TYPE_CHECKING:
    import numpy as np

    from issuance.biometrics.face_index import FaceMatch
    from issuance.biometrics.finger_index import FingerMatch
    from issuance.biometrics.minutiae import Minutiae
    from issuance.bootstrap import Context

FACE = "face"
FINGER = "finger"
SAME_PERSON = "same_person"
DIFFERENT_PERSON = "different_person"


class UndecidedDuplicates(IssuanceError):
    def __init__(self, number: str, count: int) -> None:
        super().__init__(
            f"Aplikimi {number} ka {count} dublikatë të mundshme pa vendim; vendosni për secilën "
            "para miratimit.",
            f"Application {number} has {count} possible duplicate(s) without a decision; decide "
            "on each before approving.",
        )


class NotAPossibleDuplicate(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Ky aplikim nuk është dublikatë e mundshme e atij që po shqyrtoni.",
            "That application is not a possible duplicate of the one under review.",
        )


class DecisionReasonRequired(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Shkruani arsyen e vendimit.",
            "Write the reason for the decision.",
        )


@dataclass(frozen=True)
class PossibleDuplicate:
    """Another application whose face, fingers or both match the one under review."""

    other_application_id: int
    other_number: str
    other_state: str
    other_name: str
    score: float | None  # face: 0..1, 1 for identical vectors; None when the face differs
    distance: float | None  # face: the vectors' distance
    finger_score: int | None  # BOZORTH3's best finger score; None when no finger matched
    fingers: tuple[str, ...]  # the finger positions that matched
    decision: str | None  # None until the supervisor decides
    decision_reason: str | None

    @property
    def modality(self) -> str:
        """face, finger or face+finger: what matched."""
        return "+".join(
            name
            for name, found in ((FACE, self.score is not None), (FINGER, bool(self.fingers)))
            if found
        )


@dataclass(frozen=True)
class DuplicateReview:
    """What the 1:N search found for one application; ``compared`` (face) and
    ``fingers_compared`` are False when it has no face vector (no face found in its
    portrait) or no finger minutiae (exceptions, unreadable records), or was submitted before
    de-duplication."""

    application_id: int
    compared: bool
    duplicates: tuple[PossibleDuplicate, ...]
    fingers_compared: bool = False

    @property
    def undecided(self) -> tuple[PossibleDuplicate, ...]:
        return tuple(d for d in self.duplicates if d.decision is None)


# -- the search ---------------------------------------------------------------------------------


def review_in(
    session: Session,
    engine: Engine,
    sealer: Sealer,
    application_id: int,
    probe: np.ndarray | None = None,
    fingers: dict[str, Minutiae] | None = None,
) -> DuplicateReview:
    """The application's possible duplicates with the supervisor's decisions so far; its
    stored face vector and finger minutiae are the probes unless given."""
    application = session.get(Application, application_id)
    if application is None:
        raise workflow.ApplicationNotFound(application_id)
    if probe is None:
        probe = templates.stored_face(session, sealer, application_id)
    if fingers is None:
        fingers = templates.stored_fingers(session, sealer, application_id)
    faces: list[FaceMatch] = []
    if probe is not None:
        faces = [
            m
            for m in templates.face_index(engine, session, sealer).search(probe)
            if m.key != application_id
        ]
    prints: list[FingerMatch] = []
    if fingers:
        prints = [
            m
            for m in templates.finger_index(engine, session, sealer).search(fingers)
            if m.key != application_id
        ]
    return DuplicateReview(
        application_id, probe is not None, _described(session, application, faces, prints),
        fingers_compared=bool(fingers),
    )  # fmt: skip


def _described(
    session: Session,
    application: Application,
    faces: list[FaceMatch],
    prints: list[FingerMatch],
) -> tuple[PossibleDuplicate, ...]:
    by_face = {m.key: m for m in faces}
    by_fingers = {m.key: m for m in prints}
    # Closest faces first, then the others found by fingers only (best score first).
    keys = [m.key for m in faces] + [m.key for m in prints if m.key not in by_face]
    if not keys:
        return ()
    others = {
        row.Application.id: row
        for row in session.execute(
            select(Application, Applicant)
            .outerjoin(Applicant, Applicant.id == Application.applicant_id)
            .where(Application.id.in_(keys))
        )
    }
    decisions = {
        d.other_application_id: d
        for d in session.execute(
            select(DuplicateDecision).where(DuplicateDecision.application_id == application.id)
        ).scalars()
    }
    found = []
    for key in keys:
        row = others.get(key)
        # The same applicant's other applications (a renewal, a replacement) are not duplicates.
        if row is None or (
            application.applicant_id is not None
            and row.Application.applicant_id == application.applicant_id
        ):
            continue
        other, applicant = row.Application, row.Applicant
        decision = decisions.get(other.id)
        face, finger = by_face.get(key), by_fingers.get(key)
        found.append(
            PossibleDuplicate(
                other_application_id=other.id,
                other_number=other.number,
                other_state=other.state,
                other_name=_name(applicant),
                score=None if face is None else round(face.score, 3),
                distance=None if face is None else round(face.distance, 4),
                finger_score=None if finger is None else finger.score,
                fingers=() if finger is None else finger.positions,
                decision=None if decision is None else decision.decision,
                decision_reason=None if decision is None else decision.reason,
            )
        )
    return tuple(found)


def _name(applicant: Applicant | None) -> str:
    if applicant is None:
        return ""
    return f"{applicant.given_names} {applicant.surname}".strip()


def review(ctx: Context, actor: Actor, application_id: int) -> DuplicateReview:
    """The supervisor's view: the application's possible duplicates and decisions."""
    authorize(actor, UseCase.DECIDE_APPLICATION)
    with ctx.read() as uow:
        application = uow.session.get(Application, application_id)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        return review_in(uow.session, ctx.engine, ctx.sealer, application_id)


def at_submission(ctx: Context, session: Session, actor: Actor, application: Application) -> None:
    """Search the face and fingers among every other applicant's, record (audited) the
    possible duplicates found, and store the templates. The search comes first: the indexes
    of the process only ever hold committed templates (a submission rolled back leaves
    nothing in them)."""
    vector = templates.portrait_vector(session, ctx.sealer, application)
    fingers = templates.finger_minutiae(session, ctx.sealer, application)
    if vector is None:
        audit.record(
            session, actor, "application.face_not_compared", "application", application.id,
            {}, at=ctx.clock(),
        )  # fmt: skip
    if not fingers:
        audit.record(
            session, actor, "application.fingers_not_compared", "application", application.id,
            {}, at=ctx.clock(),
        )  # fmt: skip
    if vector is None and not fingers:
        return
    found = review_in(session, ctx.engine, ctx.sealer, application.id, vector, fingers).duplicates
    if vector is not None:
        templates.save_face(session, ctx.sealer, application, vector)
    templates.save_fingers(session, ctx.sealer, application, fingers)
    if found:
        details: dict[str, list[str]] = {}
        for duplicate in found:
            for modality in duplicate.modality.split("+"):
                details.setdefault(modality, []).append(duplicate.other_number)
        audit.record(
            session, actor, "application.possible_duplicates", "application", application.id,
            details, at=ctx.clock(),
        )  # fmt: skip


def require_decided(
    session: Session, engine: Engine, sealer: Sealer, application: Application
) -> None:
    """Refuses an approval while a possible duplicate has no decision."""
    undecided = review_in(session, engine, sealer, application.id).undecided
    if undecided:
        raise UndecidedDuplicates(application.number, len(undecided))


# -- the decision -------------------------------------------------------------------------------


def decide(
    ctx: Context,
    actor: Actor,
    application_id: int,
    other_application_id: int,
    *,
    same_person: bool,
    reason: str,
    at: datetime | None = None,
) -> None:
    """The supervisor's decision on one possible duplicate. The same person rejects the
    application (with ``reason``); another person is recorded with ``reason``. Audited."""
    from issuance.services import batches

    authorize(actor, UseCase.DECIDE_APPLICATION)
    reason = reason.strip()
    if not reason:
        raise DecisionReasonRequired()
    with ctx.uow() as uow:
        session = uow.session
        application = batches.decidable(actor, session, application_id)
        current = State(application.state)
        if current != State.SUBMITTED:
            raise workflow.ForbiddenTransition(current, State.APPROVED)
        found = review_in(session, ctx.engine, ctx.sealer, application_id).duplicates
        duplicate = next((d for d in found if d.other_application_id == other_application_id), None)
        if duplicate is None:
            raise NotAPossibleDuplicate()
        now = at or ctx.clock()
        decision = SAME_PERSON if same_person else DIFFERENT_PERSON
        session.add(
            DuplicateDecision(
                application_id=application_id, other_application_id=other_application_id,
                modality=duplicate.modality, score=_shown_score(duplicate), decision=decision,
                reason=reason, decided_by_id=actor.operator_id, decided_at=now,
            )
        )  # fmt: skip
        audit.record(
            session, actor, "application.duplicate_decided", "application", application_id,
            {"other": duplicate.other_number, "modality": duplicate.modality,
             "score": duplicate.score, "finger_score": duplicate.finger_score,
             "decision": decision, "reason": reason},
            at=now,
        )  # fmt: skip
        if same_person:
            batches.reject_in(session, actor, application, reason, at=now)
        uow.commit()


def _shown_score(duplicate: PossibleDuplicate) -> float:
    """The score a decision records: the face's (0..1) when the face matched, else BOZORTH3's."""
    if duplicate.score is not None:
        return duplicate.score
    return float(duplicate.finger_score or 0)
