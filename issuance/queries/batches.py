"""Read-only queries for the supervisor's batch screen: open batches with their counts, the
applications of one batch with permit data, quality flags and possible duplicates, and the
pictures of one application for the detail pane.

Everything a batch table needs comes from a handful of set-based queries (never one query
per row), so a batch of 500 applications opens well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from issuance.biometrics.fingerprints import DEFAULT_THRESHOLD
from issuance.db.models import (
    Applicant,
    Application,
    Batch,
    BiometricCapture,
    Card,
    Office,
    Operator,
    PermitSnapshot,
    Signature,
)
from issuance.db.models.cards import VALID_CARD_STATES
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.ports.fingerprint_images import template_png
from issuance.ports.iso19794_4 import STORED_FORMAT
from issuance.security.permissions import Actor, UseCase, authorize, office_filter, require_office
from issuance.services import enrolment, receipts
from issuance.services.enrolment import FINGER_POSITIONS

if TYPE_CHECKING:
    from issuance.bootstrap import Context

# The face is stored twice (archive and chip copy) with one quality; flag it once.
_CHIP_FACE = "face_chip"
# A stored photo scores the share of ICAO checks passed: anything below 100 failed one.
FACE_FULL_SCORE = 100
# Applications that no longer compete with a new one for the same permit or person.
_CLOSED_STATES = (State.REJECTED.value, State.CANCELLED.value)
_FINISHED_STATES = (*_CLOSED_STATES, State.HANDED_OVER.value)


@dataclass(frozen=True)
class BatchSummary:
    batch_id: int
    label: str
    batch_date: date
    submitted: int
    approved: int
    rejected: int
    other: int
    # Applications with at least one quality flag (override, exception, low quality).
    flagged: int

    @property
    def total(self) -> int:
        return self.submitted + self.approved + self.rejected + self.other


@dataclass(frozen=True)
class QualityFlag:
    kind: str  # face | finger
    position: str
    what: str  # override | exception | low_quality
    quality: int | None
    reason: str | None


@dataclass(frozen=True)
class Duplicate:
    """Another record that may be the same person or permit."""

    what: str  # permit | passport | open_application | valid_card
    application_id: int | None
    application_number: str
    state: str
    document_number: str | None = None


@dataclass(frozen=True)
class BatchRow:
    application_id: int
    number: str
    state: str
    clerk: str
    submitted_at: datetime | None
    decision_reason: str | None
    surname: str
    given_names: str
    father_name: str | None
    mother_name: str | None
    sex: str
    birth_date: date
    place_of_birth: str | None
    nationality: str
    passport_number: str | None
    nid: str | None
    address: str | None
    permit_number: str
    permit_type: str
    permit_status: str
    permit_valid_from: date
    permit_valid_until: date
    flags: tuple[QualityFlag, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    # A child enrolled without fingerprints or signature: the age limit it was below.
    child_exemption: int | None = None


def _exemption_below(application: Application) -> int | None:
    exemption = enrolment.exemption_of(application)
    return int(exemption["below"]) if exemption else None


@dataclass(frozen=True)
class FingerImage:
    """One stored finger for the screens: ``image`` is a PNG to show, taken out of the
    stored template (an ISO/IEC 19794-4 record; older rows hold the PNG itself)."""

    position: str
    image: bytes | None
    image_format: str | None
    quality: int | None
    exception_reason: str | None


@dataclass(frozen=True)
class ApplicationMedia:
    face_jpeg: bytes | None
    fingers: tuple[FingerImage, ...]
    signature_png: bytes | None
    cannot_sign_reason: str | None = None
    signed: bool = field(default=False)


def batch_label(office_code: str, batch: Batch) -> str:
    """As printed on the manifest."""
    return f"{office_code}-{batch.batch_date:%Y%m%d}-{batch.id}"


def open_batches(ctx: Context, actor: Actor) -> list[BatchSummary]:
    """The open batches of the supervisor's own office, newest first, with their counts."""
    authorize(actor, UseCase.REVIEW_BATCH)
    in_office = office_filter(actor, Batch.office_id)
    with ctx.read() as uow:
        session = uow.session
        rows = session.execute(
            select(Batch, Office.code)
            .join(Office, Batch.office_id == Office.id)
            .where(Batch.state == "open", *in_office)
            .order_by(Batch.batch_date.desc(), Batch.id.desc())
        ).all()
        ids = [batch.id for batch, _ in rows]
        if not ids:
            return []
        # Keyed by Application.batch_id, a nullable column (never None here: in_(ids)).
        counts: dict[int | None, dict[str, int]] = defaultdict(dict)
        for batch_id, state, count in session.execute(
            select(Application.batch_id, Application.state, func.count())
            .where(Application.batch_id.in_(ids))
            .group_by(Application.batch_id, Application.state)
        ):
            counts[batch_id][state] = count
        flagged: dict[int | None, int] = {
            batch_id: count
            for batch_id, count in session.execute(
                select(Application.batch_id, func.count(func.distinct(Application.id)))
                .join(BiometricCapture, BiometricCapture.application_id == Application.id)
                .where(Application.batch_id.in_(ids), _flag_condition())
                .group_by(Application.batch_id)
            )
        }
    summaries = []
    for batch, code in rows:
        by_state = counts.get(batch.id, {})
        submitted = by_state.get(State.SUBMITTED.value, 0)
        approved = by_state.get(State.APPROVED.value, 0)
        rejected = by_state.get(State.REJECTED.value, 0)
        other = sum(by_state.values()) - submitted - approved - rejected
        summaries.append(
            BatchSummary(
                batch.id,
                batch_label(code, batch),
                batch.batch_date,
                submitted,
                approved,
                rejected,
                other,
                flagged.get(batch.id, 0),
            )  # fmt: skip
        )
    return summaries


def _flag_condition():  # noqa: ANN202 - a SQLAlchemy boolean clause
    low_finger = and_(
        BiometricCapture.kind == "finger", BiometricCapture.quality < DEFAULT_THRESHOLD
    )
    low_face = and_(BiometricCapture.kind == "face", BiometricCapture.quality < FACE_FULL_SCORE)
    return and_(
        BiometricCapture.position != _CHIP_FACE,
        or_(
            BiometricCapture.override_by_id.is_not(None),
            BiometricCapture.exception_reason.is_not(None),
            and_(BiometricCapture.data_sealed.is_not(None), or_(low_finger, low_face)),
        ),
    )


def batch_applications(ctx: Context, actor: Actor, batch_id: int) -> list[BatchRow]:
    """Every application of the batch (by number) with permit data, flags and duplicates."""
    authorize(actor, UseCase.REVIEW_BATCH)
    with ctx.read() as uow:
        session = uow.session
        batch = session.get(Batch, batch_id)
        if batch is None:
            raise receipts.BatchNotFound(batch_id)
        require_office(actor, batch.office_id, "batch")
        rows = session.execute(
            select(Application, Applicant, PermitSnapshot, Operator.username)
            .join(Applicant, Application.applicant_id == Applicant.id)
            .join(PermitSnapshot, Application.permit_snapshot_id == PermitSnapshot.id)
            .join(Operator, Application.clerk_id == Operator.id)
            .where(Application.batch_id == batch_id)
            .order_by(Application.number)
        ).all()
        flags = _flags(session, batch_id)
        duplicates = _duplicates(session, batch_id)
    return [
        BatchRow(
            application_id=a.id,
            number=a.number,
            state=a.state,
            clerk=clerk,
            submitted_at=a.submitted_at,
            decision_reason=a.decision_reason,
            surname=p.surname,
            given_names=p.given_names,
            father_name=p.father_name,
            mother_name=p.mother_name,
            sex=p.sex,
            birth_date=p.birth_date,
            place_of_birth=p.place_of_birth,
            nationality=p.nationality,
            passport_number=p.passport_number,
            nid=p.nid,
            address=p.address or receipts.permit_address(s.register_payload) or None,
            permit_number=s.permit_number,
            permit_type=s.permit_type,
            permit_status=s.status,
            permit_valid_from=s.valid_from,
            permit_valid_until=s.valid_until,
            flags=tuple(flags.get(a.id, ())),
            duplicates=tuple(duplicates.get(a.id, ())),
            child_exemption=_exemption_below(a),
        )  # fmt: skip
        for a, p, s, clerk in rows
    ]


def _flags(session: Session, batch_id: int) -> dict[int, list[QualityFlag]]:
    result: dict[int, list[QualityFlag]] = defaultdict(list)
    query = (
        select(
            BiometricCapture.application_id,
            BiometricCapture.kind,
            BiometricCapture.position,
            BiometricCapture.quality,
            BiometricCapture.exception_reason,
            BiometricCapture.override_by_id,
            BiometricCapture.override_reason,
        )  # fmt: skip
        .join(Application, BiometricCapture.application_id == Application.id)
        .where(Application.batch_id == batch_id, _flag_condition())
        .order_by(BiometricCapture.application_id, BiometricCapture.kind.desc())
    )
    for app_id, kind, position, quality, exception, override_by, override_reason in session.execute(
        query
    ):
        if exception is not None:
            result[app_id].append(QualityFlag(kind, position, "exception", None, exception))
        elif override_by is not None:
            result[app_id].append(QualityFlag(kind, position, "override", quality, override_reason))
        else:
            result[app_id].append(QualityFlag(kind, position, "low_quality", quality, None))
    return result


def _duplicates(session: Session, batch_id: int) -> dict[int, list[Duplicate]]:
    mine = aliased(Application)
    other = aliased(Application)
    found: dict[int, dict[int | str, Duplicate]] = defaultdict(dict)

    def add(app_id: int, key: int | str, duplicate: Duplicate) -> None:
        # One line per other application, with the strongest reason (queries run strongest first).
        found[app_id].setdefault(key, duplicate)

    my_permit, other_permit = aliased(PermitSnapshot), aliased(PermitSnapshot)
    for app_id, other_id, number, state in session.execute(
        select(mine.id, other.id, other.number, other.state)
        .join(my_permit, mine.permit_snapshot_id == my_permit.id)
        .join(other_permit, other_permit.permit_number == my_permit.permit_number)
        .join(other, other.permit_snapshot_id == other_permit.id)
        .where(mine.batch_id == batch_id, other.id != mine.id, other.state.not_in(_CLOSED_STATES))
    ):
        add(app_id, other_id, Duplicate("permit", other_id, number, state))

    me, them = aliased(Applicant), aliased(Applicant)
    for app_id, other_id, number, state in session.execute(
        select(mine.id, other.id, other.number, other.state)
        .join(me, mine.applicant_id == me.id)
        .join(
            them,
            and_(
                them.passport_number == me.passport_number,
                them.nationality == me.nationality,
                them.id != me.id,
            ),
        )
        .join(other, other.applicant_id == them.id)
        .where(mine.batch_id == batch_id, other.state.not_in(_CLOSED_STATES))
    ):
        add(app_id, other_id, Duplicate("passport", other_id, number, state))

    for app_id, other_id, number, state in session.execute(
        select(mine.id, other.id, other.number, other.state)
        .join(other, other.applicant_id == mine.applicant_id)
        .where(mine.batch_id == batch_id, other.id != mine.id, other.state.not_in(_FINISHED_STATES))
    ):
        add(app_id, other_id, Duplicate("open_application", other_id, number, state))

    for app_id, card_app_id, number, document_number, status in session.execute(
        select(mine.id, other.id, other.number, Card.document_number, Card.status)
        .join(Card, Card.applicant_id == mine.applicant_id)
        .join(other, Card.application_id == other.id)
        .where(mine.batch_id == batch_id, Card.status.in_(VALID_CARD_STATES))
    ):
        add(
            app_id,
            f"card:{document_number}",
            Duplicate("valid_card", card_app_id, number, status, document_number),
        )
    return {app_id: list(by_key.values()) for app_id, by_key in found.items()}


def application_media(ctx: Context, actor: Actor, application_id: int) -> ApplicationMedia:
    """Face, ten fingers (or their exceptions) and the signature, unsealed for the reviewer."""
    authorize(actor, UseCase.REVIEW_BATCH)
    with ctx.read() as uow:
        session = uow.session
        application = session.get(Application, application_id)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        captures = {
            (c.kind, c.position): c
            for c in session.execute(
                select(BiometricCapture).where(BiometricCapture.application_id == application_id)
            ).scalars()
        }
        signature = session.execute(
            select(Signature).where(Signature.application_id == application_id)
        ).scalar_one_or_none()

    def unseal(kind: str, position: str) -> bytes | None:
        capture = captures.get((kind, position))
        if capture is None or capture.data_sealed is None:
            return None
        context = enrolment.capture_context(application_id, kind, position)
        return ctx.sealer.open(capture.data_sealed, context)

    fingers = []
    for position in FINGER_POSITIONS:
        capture = captures.get(("finger", position))
        stored = unseal("finger", position)
        if stored is not None and capture is not None and capture.image_format == STORED_FORMAT:
            stored = template_png(stored)
        fingers.append(
            FingerImage(
                position,
                stored,
                capture.image_format if capture else None,
                capture.quality if capture else None,
                capture.exception_reason if capture else None,
            )
        )
    signature_png = None
    if signature is not None and signature.image_sealed is not None:
        signature_png = ctx.sealer.open(
            signature.image_sealed, enrolment.signature_context(application_id)
        )
    return ApplicationMedia(
        face_jpeg=unseal("face", "face"),
        fingers=tuple(fingers),
        signature_png=signature_png,
        cannot_sign_reason=signature.cannot_sign_reason if signature else None,
        signed=signature is not None,
    )
