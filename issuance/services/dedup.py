"""1:N de-duplication by face: one person enrolling twice under two passports.

At submission the applicant's portrait becomes a face vector (dlib's ResNet model, shipped in
``face-recognition-models``), sealed at rest like the other biometrics and compared with every
other enrolled applicant and card holder. The vectors live in memory as one matrix per
database (``FaceIndex``): unsealed once, then only the rows added since are read. The
supervisor sees each possible duplicate with its score and the other application, and cannot
approve before deciding on each: the same person rejects the application, another person is a
recorded decision with a reason (audited).

Fingerprints are not compared 1:N: no maintained minutiae matcher is available as a package
here (see the issue's closing note).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from issuance.biometrics import face_embedding
from issuance.db.models import (
    Applicant,
    Application,
    BiometricCapture,
    DuplicateDecision,
    FaceTemplate,
)
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize, require_office
from issuance.security.sealing import Sealer

if TYPE_CHECKING:
    import numpy as np

    from issuance.biometrics.face_index import FaceIndex, FaceMatch
    from issuance.bootstrap import Context

FACE = "face"
SAME_PERSON = "same_person"
DIFFERENT_PERSON = "different_person"
_PORTRAIT = ("face", "face")  # kind, position of the archived portrait


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
    other_application_id: int
    other_number: str
    other_state: str
    other_name: str
    modality: str
    score: float  # 0..1, 1 for identical vectors
    distance: float
    decision: str | None  # None until the supervisor decides
    decision_reason: str | None


@dataclass(frozen=True)
class DuplicateReview:
    """What the 1:N search found for one application; ``compared`` is False when it has no
    face vector (no face found in its portrait, or submitted before de-duplication)."""

    application_id: int
    compared: bool
    duplicates: tuple[PossibleDuplicate, ...]

    @property
    def undecided(self) -> tuple[PossibleDuplicate, ...]:
        return tuple(d for d in self.duplicates if d.decision is None)


# -- the vectors --------------------------------------------------------------------------------


def template_context(application_id: int) -> str:
    return f"face_template:{application_id}"


def portrait_vector(
    session: Session, sealer: Sealer, application: Application
) -> np.ndarray | None:
    """The face vector of the application's portrait, or None when it has no face the model
    finds (or no portrait)."""
    from issuance.services.enrolment import capture_context

    kind, position = _PORTRAIT
    capture = session.execute(
        select(BiometricCapture).where(
            BiometricCapture.application_id == application.id,
            BiometricCapture.kind == kind,
            BiometricCapture.position == position,
        )
    ).scalar_one_or_none()
    if capture is None or capture.data_sealed is None:
        return None
    image = sealer.open(capture.data_sealed, capture_context(application.id, kind, position))
    return face_embedding.embed_jpeg(image)


def save_template(
    session: Session, sealer: Sealer, application: Application, vector: np.ndarray
) -> None:
    """Stores the vector sealed (bound to the application), replacing an earlier one."""
    sealed = sealer.seal(face_embedding.to_bytes(vector), template_context(application.id))
    existing = session.execute(
        select(FaceTemplate).where(FaceTemplate.application_id == application.id)
    ).scalar_one_or_none()
    if existing is None:
        session.add(
            FaceTemplate(
                application_id=application.id, model=face_embedding.MODEL, vector_sealed=sealed
            )
        )
    else:
        existing.model, existing.vector_sealed = face_embedding.MODEL, sealed
    session.flush()


class _LoadedIndex:
    """The face vectors of one database, kept in step with its ``face_templates`` table."""

    def __init__(self) -> None:
        from issuance.biometrics.face_index import FaceIndex  # numpy: on first search only

        self.index = FaceIndex()
        self.template_ids: set[int] = set()
        self.signature: tuple[object, ...] = (0, None, None)
        self.lock = threading.Lock()

    def refresh(self, session: Session, sealer: Sealer) -> FaceIndex:
        with self.lock:
            # A row added or purged changes the number of rows, the highest id or the sum of
            # the applications (an id SQLite gives again after a purge then names another).
            signature = session.execute(
                select(
                    func.count(FaceTemplate.id),
                    func.max(FaceTemplate.id),
                    func.sum(FaceTemplate.application_id),
                )
            ).one()
            if tuple(signature) == self.signature:
                return self.index
            ids = set(session.execute(select(FaceTemplate.id)).scalars())
            if not self.template_ids <= ids:  # some were purged or replaced: start again
                self.index, self.template_ids = type(self.index)(), set()
            missing = sorted(ids - self.template_ids)
            for start in range(0, len(missing), 1000):
                chunk = missing[start : start + 1000]
                rows = session.execute(
                    select(FaceTemplate.id, FaceTemplate.application_id, FaceTemplate.vector_sealed)
                    .where(FaceTemplate.id.in_(chunk))
                ).all()  # fmt: skip
                for template_id, application_id, sealed in rows:
                    plain = sealer.open(sealed, template_context(application_id))
                    self.index.add(application_id, face_embedding.from_bytes(plain))
                    self.template_ids.add(template_id)
            self.signature = tuple(signature)
            return self.index


_INDEXES: weakref.WeakKeyDictionary[Engine, _LoadedIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def face_index(engine: Engine, session: Session, sealer: Sealer) -> FaceIndex:
    """The process's in-memory index of ``engine``'s face vectors, brought up to date."""
    with _INDEXES_LOCK:
        loaded = _INDEXES.setdefault(engine, _LoadedIndex())
    return loaded.refresh(session, sealer)


# -- the search ---------------------------------------------------------------------------------


def review_in(
    session: Session,
    engine: Engine,
    sealer: Sealer,
    application_id: int,
    probe: np.ndarray | None = None,
) -> DuplicateReview:
    """The application's possible duplicates with the supervisor's decisions so far; its
    stored face vector is the probe unless one is given."""
    application = session.get(Application, application_id)
    if application is None:
        raise workflow.ApplicationNotFound(application_id)
    if probe is None:
        template = session.execute(
            select(FaceTemplate).where(FaceTemplate.application_id == application_id)
        ).scalar_one_or_none()
        if template is None:
            return DuplicateReview(application_id, False, ())
        probe = face_embedding.from_bytes(
            sealer.open(template.vector_sealed, template_context(application_id))
        )
    matches = [
        m for m in face_index(engine, session, sealer).search(probe) if m.key != application_id
    ]
    return DuplicateReview(application_id, True, _described(session, application, matches))


def _described(
    session: Session, application: Application, matches: list[FaceMatch]
) -> tuple[PossibleDuplicate, ...]:
    if not matches:
        return ()
    others = {
        row.Application.id: row
        for row in session.execute(
            select(Application, Applicant)
            .outerjoin(Applicant, Applicant.id == Application.applicant_id)
            .where(Application.id.in_([m.key for m in matches]))
        )
    }
    decisions = {
        d.other_application_id: d
        for d in session.execute(
            select(DuplicateDecision).where(
                DuplicateDecision.application_id == application.id,
                DuplicateDecision.modality == FACE,
            )
        ).scalars()
    }
    found = []
    for match in matches:
        row = others.get(match.key)
        # The same applicant's other applications (a renewal, a replacement) are not duplicates.
        if row is None or (
            application.applicant_id is not None
            and row.Application.applicant_id == application.applicant_id
        ):
            continue
        other, applicant = row.Application, row.Applicant
        decision = decisions.get(other.id)
        found.append(
            PossibleDuplicate(
                other_application_id=other.id,
                other_number=other.number,
                other_state=other.state,
                other_name=_name(applicant),
                modality=FACE,
                score=round(match.score, 3),
                distance=round(match.distance, 4),
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
    """Search the face among every other, record (audited) the possible duplicates found,
    and store the face vector. The search comes first: the index of the process only ever
    holds committed vectors (a submission rolled back leaves nothing in it)."""
    vector = portrait_vector(session, ctx.sealer, application)
    if vector is None:
        audit.record(
            session, actor, "application.face_not_compared", "application", application.id,
            {}, at=ctx.clock(),
        )  # fmt: skip
        return
    found = review_in(session, ctx.engine, ctx.sealer, application.id, vector).duplicates
    save_template(session, ctx.sealer, application, vector)
    if found:
        audit.record(
            session, actor, "application.possible_duplicates", "application", application.id,
            {"face": [d.other_number for d in found]}, at=ctx.clock(),
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
                modality=duplicate.modality, score=duplicate.score, decision=decision,
                reason=reason, decided_by_id=actor.operator_id, decided_at=now,
            )
        )  # fmt: skip
        audit.record(
            session, actor, "application.duplicate_decided", "application", application_id,
            {"other": duplicate.other_number, "modality": duplicate.modality,
             "score": duplicate.score, "decision": decision, "reason": reason},
            at=now,
        )  # fmt: skip
        if same_person:
            batches.reject_in(session, actor, application, reason, at=now)
        uow.commit()
