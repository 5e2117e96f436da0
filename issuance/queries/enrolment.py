"""Read-only queries behind the clerk's screens: the queue of drafts, today's submissions, and
everything a reopened draft (or the review page) needs to show.

The step a draft resumes at is derived from what the database holds (application state,
captures, signature) plus the wizard's own draft notes, so a crash at any point resumes at the
first step whose result is not stored yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance.db.models import (
    Applicant,
    Application,
    BiometricCapture,
    Coupon,
    PermitSnapshot,
    Signature,
    UploadedDocument,
)
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.security.permissions import Actor, UseCase, authorize, office_filter, require_office
from issuance.services import card_lifecycle, enrolment
from issuance.wall_clock import local_day

if TYPE_CHECKING:
    from issuance.bootstrap import Context

STEPS = ("coupon", "permit", "photo", "fingerprints", "signature", "documents", "review")
OPEN_STATES = (
    State.DRAFT.value,
    State.COUPON_VERIFIED.value,
    State.PERMIT_LINKED.value,
    State.BIOMETRICS_CAPTURED.value,
)


@dataclass(frozen=True)
class DraftRow:
    application_id: int
    number: str
    card_type: str
    state: str
    applicant: str
    step: str
    created_at: datetime


@dataclass(frozen=True)
class SubmissionRow:
    application_id: int
    number: str
    card_type: str
    applicant: str
    submitted_at: datetime
    state: str = State.SUBMITTED.value
    # The supervisor's reason when the application was rejected, else None.
    rejection_reason: str | None = None


@dataclass(frozen=True)
class FingerRow:
    position: str
    quality: int | None
    exception: str | None
    overridden: bool


@dataclass(frozen=True)
class ApplicationSummary:
    """What the wizard shows about one application (names exactly as the register spells)."""

    application_id: int
    number: str
    card_type: str
    state: str
    step: str
    draft: dict[str, Any]
    coupon_code: str | None = None
    coupon_amount_lek: int | None = None
    permit: dict[str, Any] = field(default_factory=dict)
    mobile: str | None = None
    email: str | None = None
    photo_jpeg: bytes | None = None
    photo_quality: int | None = None
    fingers: tuple[FingerRow, ...] = ()
    signature_png: bytes | None = None
    cannot_sign_reason: str | None = None
    signed: bool = False
    documents: tuple[str, ...] = ()
    document_ids: tuple[int, ...] = ()  # beside ``documents``, in the same order
    # A child below the age limit: no fingerprints, no signature ({"age", "below", "on"}).
    child_exemption: dict[str, Any] | None = None
    # A REPLACEMENT application: the reason recorded (lost, stolen, damaged, data_changed).
    replacement_reason: str | None = None

    @property
    def finger_count(self) -> int:
        return sum(1 for f in self.fingers if f.exception is None)

    @property
    def finger_exceptions(self) -> tuple[FingerRow, ...]:
        return tuple(f for f in self.fingers if f.exception is not None)


def _replacement_reason(session: Session, application: Application) -> str | None:
    if application.card_type != card_lifecycle.REPLACEMENT:
        return None
    row = card_lifecycle.replacement_of(session, application.id)
    return row.reason if row is not None else None


def _name(applicant: Applicant | None) -> str:
    return f"{applicant.surname}, {applicant.given_names}" if applicant else ""


def _resume_step(
    application: Application, face: bool, fingers: int, signed: bool
) -> str:
    state = State(application.state)
    if state is State.DRAFT:
        return "coupon"
    if state is State.COUPON_VERIFIED:
        return "permit"
    if state is State.BIOMETRICS_CAPTURED:
        return "review"
    if state is not State.PERMIT_LINKED:
        return "review"
    if not face:
        return "photo"
    # A child gives no fingerprints and no signature (the exemption recorded with the permit).
    exempt = enrolment.exemption_of(application) is not None
    if fingers < len(enrolment.FINGER_POSITIONS) and not exempt:
        return "fingerprints"
    if not signed and not exempt:
        return "signature"
    # Documents are optional: only the wizard's note says the clerk went past them.
    return "review" if "documents" in (application.draft or {}) else "documents"


def _capture_facts(ctx: Context, application_ids: list[int]) -> dict[int, tuple[bool, int, bool]]:
    facts: dict[int, list[Any]] = {i: [False, 0, False] for i in application_ids}
    if not application_ids:
        return {}
    with ctx.read() as uow:
        rows = uow.session.execute(
            select(BiometricCapture.application_id, BiometricCapture.kind,
                   BiometricCapture.position, BiometricCapture.data_sealed.is_not(None),
                   BiometricCapture.exception_reason)
            .where(BiometricCapture.application_id.in_(application_ids))
        ).all()  # fmt: skip
        signed = uow.session.execute(
            select(Signature.application_id).where(Signature.application_id.in_(application_ids))
        ).scalars().all()
    for app_id, kind, position, has_data, reason in rows:
        if kind == "face" and position == "face" and has_data:
            facts[app_id][0] = True
        if kind == "finger" and (has_data or reason):
            facts[app_id][1] += 1
    for app_id in signed:
        facts[app_id][2] = True
    return {k: (v[0], v[1], v[2]) for k, v in facts.items()}


def my_drafts(ctx: Context, actor: Actor) -> list[DraftRow]:
    """The clerk's unfinished applications of their office, newest first, with the step each
    resumes at."""
    authorize(actor, UseCase.ENROL)
    in_office = office_filter(actor, Application.office_id)
    with ctx.read() as uow:
        rows = uow.session.execute(
            select(Application, Applicant)
            .outerjoin(Applicant, Application.applicant_id == Applicant.id)
            .where(Application.clerk_id == actor.operator_id,
                   Application.state.in_(OPEN_STATES), *in_office)
            .order_by(Application.created_at.desc(), Application.id.desc())
        ).all()  # fmt: skip
    facts = _capture_facts(ctx, [a.id for a, _ in rows])
    return [
        DraftRow(a.id, a.number, a.card_type, a.state, _name(p),
                 _resume_step(a, *facts[a.id]), a.created_at)
        for a, p in rows
    ]  # fmt: skip


def todays_submissions(ctx: Context, actor: Actor, on: date | None = None) -> list[SubmissionRow]:
    """What this clerk submitted today (the office's calendar day, Tirana time), newest first."""
    authorize(actor, UseCase.ENROL)
    in_office = office_filter(actor, Application.office_id)
    moment = ctx.clock() if on is None else datetime.combine(on, time(12), tzinfo=UTC)
    start, end = local_day(moment)
    with ctx.read() as uow:
        rows = uow.session.execute(
            select(Application, Applicant)
            .outerjoin(Applicant, Application.applicant_id == Applicant.id)
            .where(Application.clerk_id == actor.operator_id,
                   Application.submitted_at >= start,
                   Application.submitted_at < end, *in_office)
            .order_by(Application.submitted_at.desc(), Application.id.desc())
        ).all()  # fmt: skip
    return [
        SubmissionRow(
            a.id, a.number, a.card_type, _name(p), a.submitted_at,  # type: ignore[arg-type]
            a.state, a.decision_reason if a.state == State.REJECTED.value else None,
        )
        for a, p in rows
    ]


def application_summary(
    ctx: Context, actor: Actor, application_id: int, *, with_images: bool = True
) -> ApplicationSummary:
    """Everything stored for one application, and the step a reopened wizard starts at."""
    authorize(actor, UseCase.ENROL)
    with ctx.read() as uow:
        session = uow.session
        application = session.get(Application, application_id)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        applicant = (
            session.get(Applicant, application.applicant_id) if application.applicant_id else None
        )
        snapshot = (
            session.get(PermitSnapshot, application.permit_snapshot_id)
            if application.permit_snapshot_id
            else None
        )
        coupon = session.execute(
            select(Coupon).where(Coupon.application_id == application.id)
        ).scalar_one_or_none()
        captures = session.execute(
            select(BiometricCapture).where(BiometricCapture.application_id == application.id)
        ).scalars().all()
        signature = session.execute(
            select(Signature).where(Signature.application_id == application.id)
        ).scalar_one_or_none()
        attached = session.execute(
            select(UploadedDocument.id, UploadedDocument.filename)
            .where(UploadedDocument.application_id == application.id)
            .order_by(UploadedDocument.id)
        ).all()
        documents = [name for _, name in attached]
        face = next((c for c in captures if c.kind == "face" and c.position == "face"), None)
        fingers = tuple(
            FingerRow(c.position, c.quality, c.exception_reason, c.override_by_id is not None)
            for c in sorted(
                (c for c in captures if c.kind == "finger"),
                key=lambda c: enrolment.FINGER_POSITIONS.index(c.position),
            )
        )
        permit: dict[str, Any] = {}
        if applicant is not None and snapshot is not None:
            permit = {
                "permit_number": snapshot.permit_number, "permit_type": snapshot.permit_type,
                "status": snapshot.status, "valid_from": snapshot.valid_from,
                "valid_until": snapshot.valid_until, "surname": applicant.surname,
                "given_names": applicant.given_names, "father_name": applicant.father_name,
                "mother_name": applicant.mother_name, "sex": applicant.sex,
                "birth_date": applicant.birth_date, "place_of_birth": applicant.place_of_birth,
                "nationality": applicant.nationality,
                "passport_number": applicant.passport_number, "nid": applicant.nid,
                "address": applicant.address,
            }  # fmt: skip
        photo = None
        if with_images and face is not None and face.data_sealed is not None:
            photo = ctx.sealer.open(
                face.data_sealed, enrolment.capture_context(application.id, "face", "face")
            )
        signature_png = None
        if with_images and signature is not None and signature.image_sealed is not None:
            signature_png = ctx.sealer.open(
                signature.image_sealed, enrolment.signature_context(application.id)
            )
        finger_done = sum(1 for c in captures if c.kind == "finger"
                          and (c.data_sealed is not None or c.exception_reason))  # fmt: skip
        step = _resume_step(
            application, face is not None and face.data_sealed is not None, finger_done,
            signature is not None,
        )  # fmt: skip
        return ApplicationSummary(
            application_id=application.id, number=application.number,
            card_type=application.card_type, state=application.state, step=step,
            draft=dict(application.draft or {}),
            coupon_code=coupon.code if coupon else None,
            coupon_amount_lek=coupon.amount_lek if coupon else None,
            permit=permit,
            mobile=applicant.mobile if applicant else None,
            email=applicant.email if applicant else None,
            photo_jpeg=photo, photo_quality=face.quality if face else None,
            fingers=fingers, signature_png=signature_png,
            cannot_sign_reason=signature.cannot_sign_reason if signature else None,
            signed=signature is not None, documents=tuple(documents),
            document_ids=tuple(document_id for document_id, _ in attached),
            replacement_reason=_replacement_reason(session, application),
            child_exemption=enrolment.exemption_of(application),
        )  # fmt: skip
