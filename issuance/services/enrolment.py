"""The clerk's use cases: start a draft, record coupon and permit, store captures, submit.

Every function is one transaction; biometrics, signatures and scans are sealed before they
reach the session, so the database never holds a raw image.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from issuance.db.models import (
    Applicant,
    Application,
    Batch,
    BiometricCapture,
    Coupon,
    Office,
    PermitSnapshot,
    Signature,
    UploadedDocument,
)
from issuance.delivery import coupons as coupon_delivery
from issuance.delivery import notifications
from issuance.delivery.clients.notifications import normalise_mobile
from issuance.domain import numbering, privacy_notice, workflow
from issuance.domain.names import fold, nfc
from issuance.domain.workflow import State
from issuance.errors import (
    ApplicationHasCoupon,
    CouponRecordedForOther,
    IssuanceError,
    UnknownCardType,
)
from issuance.labels import in_language
from issuance.security import audit
from issuance.security.permissions import Actor, NoOffice, UseCase, authorize, require_office
from issuance.services import card_lifecycle, dedup
from issuance.wall_clock import local_time

if TYPE_CHECKING:
    from issuance.bootstrap import Context

# What the applicant paid for at the post office; the fee differs per type.
CARD_TYPES = ("STANDARD", "URGENT", "REPLACEMENT", "RENEWAL")
CARD_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "STANDARD": ("e zakonshme", "standard"),
    "URGENT": ("e përshpejtuar", "urgent"),
    "REPLACEMENT": ("zëvendësim", "replacement"),
    "RENEWAL": ("rinovim", "renewal"),
}
FINGER_POSITIONS = (
    "right_thumb", "right_index", "right_middle", "right_ring", "right_little",
    "left_thumb", "left_index", "left_middle", "left_ring", "left_little",
)  # fmt: skip
POSITION_NAMES: dict[str, tuple[str, str]] = {
    "right_thumb": ("gishti i madh i djathtë", "right thumb"),
    "right_index": ("gishti tregues i djathtë", "right index finger"),
    "right_middle": ("gishti i mesëm i djathtë", "right middle finger"),
    "right_ring": ("gishti i unazës i djathtë", "right ring finger"),
    "right_little": ("gishti i vogël i djathtë", "right little finger"),
    "left_thumb": ("gishti i madh i majtë", "left thumb"),
    "left_index": ("gishti tregues i majtë", "left index finger"),
    "left_middle": ("gishti i mesëm i majtë", "left middle finger"),
    "left_ring": ("gishti i unazës i majtë", "left ring finger"),
    "left_little": ("gishti i vogël i majtë", "left little finger"),
    "face": ("fotografia", "photo"),
    "face_chip": ("fotografia e çipit", "chip photo"),
}


class DocumentTooLarge(IssuanceError):
    def __init__(self, size: int) -> None:
        mb = size / (1024 * 1024)
        super().__init__(
            f"Skedari është {mb:.1f} MB; lejohen të shumtën 5 MB.",
            f"The file is {mb:.1f} MB; at most 5 MB is allowed.",
        )


class NotAPdf(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Pranohen vetëm skedarë PDF; ky skedar nuk është PDF i vlefshëm.",
            "Only PDF files are accepted; this file is not a valid PDF.",
        )


class IncompleteApplication(IssuanceError):
    def __init__(self, missing_sq: list[str], missing_en: list[str]) -> None:
        super().__init__(
            "Aplikimi nuk është i plotë: mungon " + ", ".join(missing_sq) + ".",
            "The application is not complete: missing " + ", ".join(missing_en) + ".",
        )


class ReplacementReasonMissing(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Për një aplikim zëvendësimi regjistroni arsyen (e humbur, e vjedhur, e dëmtuar, "
            "të dhëna të ndryshuara) para dorëzimit.",
            "For a replacement application, record the reason (lost, stolen, damaged, data "
            "changed) before submitting.",
        )


class UnknownFinger(IssuanceError):
    def __init__(self, position: str) -> None:
        super().__init__(f"Gisht i panjohur «{position}».", f"Unknown finger '{position}'.")


@dataclass(frozen=True)
class PermitData:
    """What FER says about the person and the permit (names exactly as the register spells)."""

    permit_number: str
    permit_type: str
    status: str
    valid_from: date
    valid_until: date
    surname: str
    given_names: str
    sex: str
    birth_date: date
    nationality: str
    father_name: str | None = None
    mother_name: str | None = None
    place_of_birth: str | None = None
    passport_number: str | None = None
    nid: str | None = None
    address: str | None = None
    payload: dict[str, Any] | None = None


def capture_context(application_id: int, kind: str, position: str) -> str:
    return f"capture:{application_id}:{kind}:{position}"


def signature_context(application_id: int) -> str:
    return f"signature:{application_id}"


def document_context(application_id: int, sha256: str) -> str:
    return f"document:{application_id}:{sha256}"


def position_name(position: str, language: str) -> str:
    """A capture's position as the operator calls it (a finger, the photo)."""
    return in_language(POSITION_NAMES, position, language, default=position)


def card_type_name(card_type: str, language: str) -> str:
    return in_language(CARD_TYPE_NAMES, card_type, language, default=card_type)


def _load(session: Session, actor: Actor, application_id: int) -> Application:
    """The application, if it exists and belongs to the actor's office (office-bound roles)."""
    application = session.get(Application, application_id)
    if application is None:
        raise workflow.ApplicationNotFound(application_id)
    require_office(actor, application.office_id)
    return application


@dataclass(frozen=True)
class DraftStarted:
    """A new application: its row exists from now on, so a crash keeps the draft."""

    id: int
    number: str
    card_type: str


def start_draft(
    ctx: Context,
    actor: Actor,
    *,
    card_type: str = "STANDARD",
    desk_id: int | None = None,
    coupon: str | None = None,
) -> DraftStarted:
    """Create the application row and allocate its number.

    The desk never calls this before a coupon is verified: ``coupons.open_with_coupon`` asks
    the post office first and calls this with the coupon's card type (and its code, kept in
    the draft notes and the audit event), so a mistyped coupon allocates no number.
    """
    authorize(actor, UseCase.ENROL)
    if actor.office_id is None:
        raise NoOffice()
    if card_type not in CARD_TYPES:
        raise UnknownCardType(card_type)
    with ctx.uow() as uow:
        office = uow.session.get(Office, actor.office_id)
        assert office is not None
        now = ctx.clock()
        application = Application(
            number=numbering.allocate_application_number(uow.session, office.code, now.date()),
            office_id=office.id,
            desk_id=desk_id,
            clerk_id=actor.operator_id,
            card_type=card_type,
            state=State.DRAFT.value,
            draft={"opened_with": coupon} if coupon else {},
            created_at=now,
        )
        uow.session.add(application)
        uow.session.flush()
        details: dict[str, Any] = {"number": application.number, "card_type": card_type}
        if coupon:
            details["coupon"] = coupon
        audit.record(
            uow.session, actor, "application.started", "application", application.id,
            details, at=now,
        )  # fmt: skip
        uow.commit()
        return DraftStarted(application.id, application.number, application.card_type)


class NotADraft(IssuanceError):
    def __init__(self, number: str, state: State) -> None:
        sq_state, en_state = workflow.STATE_NAMES[state]
        super().__init__(
            f"Aplikimi {number} nuk është më draft («{sq_state}»): vetëm një draft mund të "
            "hidhet poshtë. Një aplikim i dorëzuar anulohet nga mbikëqyrësi.",
            f"Application {number} is no longer a draft ('{en_state}'): only a draft can be "
            "discarded. A submitted application is cancelled by a supervisor.",
        )
        self.number, self.state = number, state


DISCARDED_WITHOUT_REASON = "discarded at the desk"


@dataclass(frozen=True)
class DraftDiscarded:
    id: int
    number: str
    reason: str | None
    # The coupon whose reservation at the post office is released through the outbox.
    coupon: str | None


def discard_draft(
    ctx: Context, actor: Actor, application_id: int, reason: str | None = None
) -> DraftDiscarded:
    """The clerk throws away an unfinished application (CANCELLED); the reason is optional
    (a draft is the clerk's own unfinished work: a wrong person, the applicant left). Every
    coupon the post office may hold for it is released through the outbox."""
    authorize(actor, UseCase.DISCARD_DRAFT)
    reason = reason.strip() if reason and reason.strip() else None
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, application_id, with_for_update=True)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        current = State(application.state)
        if current not in workflow.DRAFT_STATES:
            raise NotADraft(application.number, current)
        now = ctx.clock()
        held = coupon_delivery.bound_coupon(session, application)
        workflow.apply(
            session, actor, application, State.CANCELLED,
            reason=reason or DISCARDED_WITHOUT_REASON, at=now,
        )  # fmt: skip
        application.decision_reason = reason
        coupon_delivery.enqueue_release(session, application, now)
        audit.record(
            session, actor, "application.discarded", "application", application.id,
            {"number": application.number, "reason": reason,
             "coupon": held.code if held else None}, at=now,
        )  # fmt: skip
        uow.commit()
        return DraftDiscarded(
            application.id, application.number, reason, held.code if held else None
        )


def save_draft(
    ctx: Context, actor: Actor, application_id: int, step: str, data: dict[str, Any]
) -> None:
    """Persist what the wizard holds so far, so a crash resumes at ``step``."""
    authorize(actor, UseCase.ENROL)
    with ctx.uow() as uow:
        application = _load(uow.session, actor, application_id)
        application.draft = {**application.draft, "step": step, step: data}
        uow.commit()


def record_coupon(
    ctx: Context, actor: Actor, application_id: int, *, code: str, amount_lek: int, card_type: str
) -> None:
    """Bind a coupon that the voucher service has verified and reserved for this application.

    The binding is one compare-and-set, so of desks binding the same coupon at once exactly one
    wins and the others are refused with ``CouponRecordedForOther``. Recording the coupon the
    application already has changes nothing; any other coupon is refused.
    """
    authorize(actor, UseCase.ENROL)
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, application_id, with_for_update=True)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        held = coupon_delivery.bound_coupon(session, application)
        if held is not None:
            if held.code == code:
                return
            raise ApplicationHasCoupon(held.code, code)
        current = State(application.state)
        if not workflow.can_transition(current, State.COUPON_VERIFIED):
            raise workflow.ForbiddenTransition(current, State.COUPON_VERIFIED)
        now = ctx.clock()
        _bind_coupon(session, application, code, amount_lek, card_type, now)
        coupon_delivery.settle_reservations(session, application, code, now)
        workflow.apply(session, actor, application, State.COUPON_VERIFIED, at=now)
        uow.commit()


def _bind_coupon(
    session: Session, application: Application, code: str, amount_lek: int, card_type: str,
    at: datetime,
) -> None:  # fmt: skip
    values = {
        "amount_lek": amount_lek, "card_type": card_type, "status": "reserved",
        "application_id": application.id, "verified_at": at,
    }  # fmt: skip
    # A coupon released by a cancelled application may back a new one: taken only while it is
    # still released (the row lock makes a racing desk see the winner's row, not match it).
    taken = session.execute(
        update(Coupon)
        .where(Coupon.code == code, Coupon.status == "released")
        .values(**values)
        .returning(Coupon.id)
        .execution_options(synchronize_session=False)
    ).first()
    if taken is not None:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    created = session.execute(
        insert(Coupon)
        .values(code=code, **values)
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(Coupon.id)
    ).first()
    if created is None:
        raise CouponRecordedForOther(code)


def age_on(birth_date: date, on: date) -> int:
    """Completed years on ``on``."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def enrolment_day(application: Application) -> date:
    """The office's calendar day (Tirana) on which the application was opened."""
    return local_time(application.created_at).date()


def child_exempt(birth_date: date, on: date, below: int) -> bool:
    """Below ``below`` years on the day of enrolment: no fingerprints, no signature."""
    return age_on(birth_date, on) < below


def _exemption(ctx: Context, application: Application, birth_date: date) -> dict[str, Any] | None:
    below = ctx.settings.child_no_fingerprints_below
    on = enrolment_day(application)
    if not child_exempt(birth_date, on, below):
        return None
    return {"age": age_on(birth_date, on), "below": below, "on": on.isoformat()}


def link_permit(ctx: Context, actor: Actor, application_id: int, permit: PermitData) -> int:
    """Snapshot the register's answer and attach the person to the application.

    A child below the configured age on the day of enrolment gives no fingerprints and no
    signature: the exemption is written to the draft notes (``child_exemption``) and audited.
    """
    authorize(actor, UseCase.ENROL)
    with ctx.uow() as uow:
        session = uow.session
        application = _load(session, actor, application_id)
        applicant = _find_or_create_applicant(session, permit)
        snapshot = PermitSnapshot(
            applicant_id=applicant.id,
            permit_number=permit.permit_number,
            permit_type=permit.permit_type,
            status=permit.status,
            valid_from=permit.valid_from,
            valid_until=permit.valid_until,
            register_payload=permit.payload or {},
            fetched_at=ctx.clock(),
        )
        session.add(snapshot)
        session.flush()
        application.applicant_id, application.permit_snapshot_id = applicant.id, snapshot.id
        workflow.apply(session, actor, application, State.PERMIT_LINKED, at=ctx.clock())
        exemption = _exemption(ctx, application, permit.birth_date)
        draft = {k: v for k, v in (application.draft or {}).items() if k != "child_exemption"}
        if exemption is not None:
            draft["child_exemption"] = exemption
            audit.record(
                session, actor, "application.child_exemption", "application", application.id,
                exemption, at=ctx.clock(),
            )  # fmt: skip
        application.draft = draft
        uow.commit()
        return applicant.id


def _find_or_create_applicant(session: Session, permit: PermitData) -> Applicant:
    existing = None
    if permit.nid:
        existing = session.execute(
            select(Applicant).where(Applicant.nid == permit.nid)
        ).scalar_one_or_none()
    if existing is None and permit.passport_number:
        existing = session.execute(
            select(Applicant).where(
                Applicant.passport_number == permit.passport_number,
                Applicant.nationality == permit.nationality,
            )
        ).scalar_one_or_none()
    applicant = existing or Applicant()
    # The register is the authority: its spelling replaces ours, byte for byte (NFC).
    applicant.surname, applicant.given_names = nfc(permit.surname), nfc(permit.given_names)
    applicant.surname_key, applicant.given_names_key = (
        fold(permit.surname),
        fold(permit.given_names),
    )
    applicant.father_name = nfc(permit.father_name) if permit.father_name else None
    applicant.mother_name = nfc(permit.mother_name) if permit.mother_name else None
    applicant.sex, applicant.birth_date = permit.sex, permit.birth_date
    applicant.place_of_birth = nfc(permit.place_of_birth) if permit.place_of_birth else None
    applicant.nationality, applicant.passport_number = permit.nationality, permit.passport_number
    applicant.address = nfc(permit.address) if permit.address else None
    applicant.nid = permit.nid or applicant.nid
    session.add(applicant)
    session.flush()
    return applicant


class InvalidEmail(IssuanceError):
    def __init__(self) -> None:
        super().__init__("Adresa e postës elektronike nuk është e vlefshme.",
                         "The e-mail address is not valid.")  # fmt: skip


def set_contact(
    ctx: Context, actor: Actor, application_id: int, *, mobile: str | None, email: str | None
) -> None:
    """How to tell the resident the card is ready: an Albanian mobile (06XXXXXXXX) or e-mail."""
    authorize(actor, UseCase.ENROL)
    number = normalise_mobile(mobile) if mobile else None
    address = email.strip() if email else None
    if address and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
        raise InvalidEmail()
    with ctx.uow() as uow:
        application = _load(uow.session, actor, application_id)
        applicant = uow.session.get(Applicant, application.applicant_id)
        if applicant is None:
            raise IncompleteApplication(["leja e qëndrimit"], ["the residence permit"])
        applicant.mobile, applicant.email = number, address
        audit.record(
            uow.session, actor, "applicant.contact", "application", application.id,
            {"mobile": bool(number), "email": bool(address)}, at=ctx.clock(),
        )  # fmt: skip
        uow.commit()


def store_capture(
    ctx: Context,
    actor: Actor,
    application_id: int,
    *,
    kind: str,
    position: str,
    image: bytes | None,
    image_format: str | None,
    quality: int | None = None,
    attempts: int = 1,
    exception_reason: str | None = None,
    for_chip: bool = False,
) -> None:
    """Store (or replace) the face or one finger; ``image`` None with a reason is an exception."""
    authorize(actor, UseCase.ENROL)
    if kind == "finger" and position not in FINGER_POSITIONS:
        raise UnknownFinger(position)
    with ctx.uow() as uow:
        session = uow.session
        application = _load(session, actor, application_id)
        capture = session.execute(
            select(BiometricCapture).where(
                BiometricCapture.application_id == application.id,
                BiometricCapture.kind == kind,
                BiometricCapture.position == position,
            )
        ).scalar_one_or_none() or BiometricCapture(
            application_id=application.id, kind=kind, position=position
        )
        sealed = None
        if image is not None:
            sealed = ctx.sealer.seal(image, capture_context(application.id, kind, position))
        capture.data_sealed, capture.image_format = sealed, image_format
        capture.quality, capture.attempts = quality, attempts
        capture.exception_reason, capture.for_chip = exception_reason, for_chip
        # A new capture stands on its own: an override given to the previous one does not carry.
        capture.override_by_id, capture.override_reason = None, None
        capture.captured_at = ctx.clock()
        session.add(capture)
        session.flush()
        audit.record(
            session, actor, "capture.stored", "application", application.id,
            {"kind": kind, "position": position, "quality": quality,
             "exception": bool(exception_reason)},
            at=ctx.clock(),
        )  # fmt: skip
        uow.commit()


def read_capture(
    ctx: Context, actor: Actor, application_id: int, kind: str, position: str
) -> bytes | None:
    authorize(actor, UseCase.VIEW_APPLICATION)
    with ctx.uow() as uow:
        office_id = uow.session.scalar(
            select(Application.office_id).where(Application.id == application_id)
        )
        if office_id is None:
            return None
        require_office(actor, office_id)
        capture = uow.session.execute(
            select(BiometricCapture).where(
                BiometricCapture.application_id == application_id,
                BiometricCapture.kind == kind,
                BiometricCapture.position == position,
            )
        ).scalar_one_or_none()
        if capture is None or capture.data_sealed is None:
            return None
        return ctx.sealer.open(capture.data_sealed, capture_context(application_id, kind, position))


def store_signature(
    ctx: Context,
    actor: Actor,
    application_id: int,
    *,
    image: bytes | None,
    cannot_sign_reason: str | None = None,
) -> None:
    authorize(actor, UseCase.ENROL)
    if image is None and not (cannot_sign_reason and cannot_sign_reason.strip()):
        raise workflow.ReasonRequired()
    with ctx.uow() as uow:
        session = uow.session
        application = _load(session, actor, application_id)
        signature = session.execute(
            select(Signature).where(Signature.application_id == application.id)
        ).scalar_one_or_none() or Signature(application_id=application.id)
        signature.image_sealed = (
            ctx.sealer.seal(image, signature_context(application.id)) if image else None
        )
        signature.cannot_sign = image is None
        signature.cannot_sign_reason = cannot_sign_reason if image is None else None
        signature.captured_at = ctx.clock()
        session.add(signature)
        session.flush()
        audit.record(
            session, actor, "signature.stored", "application", application.id,
            {"cannot_sign": image is None}, at=ctx.clock(),
        )  # fmt: skip
        uow.commit()


def attach_document(
    ctx: Context, actor: Actor, application_id: int, filename: str, data: bytes
) -> int:
    authorize(actor, UseCase.ENROL)
    from issuance.ports.limits import PDF_MAX_BYTES, document_name

    # Size first (issuance.ports.limits: PDF only, at most 5 MB), before the bytes are looked into.
    if len(data) > PDF_MAX_BYTES:
        raise DocumentTooLarge(len(data))
    if not _looks_like_pdf(data):
        raise NotAPdf()
    # A name no database stores (NUL, lone surrogates) or longer than the column is cleaned.
    filename = document_name(filename)
    digest = hashlib.sha256(data).hexdigest()
    with ctx.uow() as uow:
        application = _load(uow.session, actor, application_id)
        document = UploadedDocument(
            application_id=application.id,
            filename=filename,
            size_bytes=len(data),
            sha256=digest,
            data_sealed=ctx.sealer.seal(data, document_context(application.id, digest)),
            uploaded_by_id=actor.operator_id,
            uploaded_at=ctx.clock(),
        )
        uow.session.add(document)
        uow.session.flush()
        audit.record(
            uow.session, actor, "document.attached", "application", application.id,
            {"document": document.id, "bytes": len(data)}, at=ctx.clock(),
        )  # fmt: skip
        uow.commit()
        return document.id


def _looks_like_pdf(data: bytes) -> bool:
    # Header within the first KiB (as readers allow) and an end-of-file marker near the end.
    return b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]


def mark_biometrics_captured(ctx: Context, actor: Actor, application_id: int) -> None:
    authorize(actor, UseCase.ENROL)
    with ctx.uow() as uow:
        application = _load(uow.session, actor, application_id)
        _require_complete(uow.session, application, ctx.settings.child_no_fingerprints_below)
        workflow.apply(uow.session, actor, application, State.BIOMETRICS_CAPTURED, at=ctx.clock())
        uow.commit()


def exemption_of(application: Application) -> dict[str, Any] | None:
    """The child exemption recorded when the permit was linked (None: an adult's enrolment)."""
    value = (application.draft or {}).get("child_exemption")
    return value if isinstance(value, dict) else None


def _require_complete(session: Session, application: Application, below: int) -> None:
    exempt = False
    if exemption_of(application) is not None:
        # Checked again against the register's birth date: only a child is excused.
        applicant = session.get(Applicant, application.applicant_id)
        exempt = applicant is not None and child_exempt(
            applicant.birth_date, enrolment_day(application), below
        )
    captures = (
        session.execute(
            select(BiometricCapture).where(BiometricCapture.application_id == application.id)
        )
        .scalars()
        .all()
    )
    have = {(c.kind, c.position) for c in captures if c.data_sealed or c.exception_reason}
    missing_sq: list[str] = []
    missing_en: list[str] = []
    if ("face", "face") not in have:
        missing_sq.append("fotografia")
        missing_en.append("the photo")
    fingers = [p for p in FINGER_POSITIONS if ("finger", p) not in have]
    if fingers and not exempt:
        missing_sq.append(f"{len(fingers)} gishta")
        missing_en.append(f"{len(fingers)} finger(s)")
    signed = session.execute(
        select(Signature.id).where(Signature.application_id == application.id)
    ).first()
    if not signed and not exempt:
        missing_sq.append("nënshkrimi")
        missing_en.append("the signature")
    if missing_en:
        raise IncompleteApplication(missing_sq, missing_en)


class PrivacyNoticeNotAcknowledged(IssuanceError):
    def __init__(self, number: str) -> None:
        super().__init__(
            f"Aplikimi {number} nuk mund të dorëzohet: aplikanti duhet të lexojë dhe të pranojë "
            "njoftimin e privatësisë. Shënoni pranimin e tij dhe provoni përsëri.",
            f"Application {number} cannot be submitted: the applicant must read and accept the "
            "privacy notice. Record their acceptance, then submit again.",
        )
        self.number = number


class UnknownPrivacyNotice(IssuanceError):
    def __init__(self, version: str) -> None:
        super().__init__(
            f"Njoftimi i privatësisë «{version}» nuk njihet; tregojini aplikantit njoftimin "
            f"aktual ({privacy_notice.VERSION}).",
            f"The privacy notice '{version}' is not known; show the applicant the current "
            f"notice ({privacy_notice.VERSION}).",
        )


def acknowledge_privacy_notice(
    ctx: Context, actor: Actor, application_id: int, version: str = privacy_notice.VERSION
) -> None:
    """Record that the applicant read and accepted the privacy notice of ``version``: the
    version, the time and the clerk stay with the application (and in the audit trail)."""
    authorize(actor, UseCase.ENROL)
    if version not in privacy_notice.TEXT:
        raise UnknownPrivacyNotice(version)
    with ctx.uow() as uow:
        application = _load(uow.session, actor, application_id)
        now = ctx.clock()
        application.privacy_notice_version = version
        application.privacy_notice_acknowledged_at = now
        application.privacy_notice_acknowledged_by = actor.label
        audit.record(
            uow.session, actor, "application.privacy_notice", "application", application.id,
            {"privacy_notice": version}, at=now,
        )  # fmt: skip
        uow.commit()


def submit(ctx: Context, actor: Actor, application_id: int) -> None:
    """Submit: the coupon is consumed and the application joins today's batch of its office.
    The applicant must have accepted the privacy notice (``acknowledge_privacy_notice``)."""
    authorize(actor, UseCase.ENROL)
    with ctx.uow() as uow:
        session = uow.session
        application = _load(session, actor, application_id)
        _require_complete(session, application, ctx.settings.child_no_fingerprints_below)
        if application.privacy_notice_acknowledged_at is None:
            raise PrivacyNoticeNotAcknowledged(application.number)
        if (
            application.card_type == card_lifecycle.REPLACEMENT
            and card_lifecycle.replacement_of(session, application.id) is None
        ):
            raise ReplacementReasonMissing()
        now = ctx.clock()
        coupon = session.execute(
            select(Coupon).where(Coupon.application_id == application.id)
        ).scalar_one()
        coupon.status = "consumed"
        coupon_delivery.enqueue_consume(session, application, now)
        application.batch_id = _open_batch(session, application.office_id, now.date()).id
        application.submitted_at = now
        workflow.apply(session, actor, application, State.SUBMITTED, at=now)
        # 1:N by face: the vector is stored (sealed) and the possible duplicates audited.
        dedup.at_submission(ctx, session, actor, application)
        notifications.enqueue_submitted(session, application, at=now)
        # A replacement of a lost or stolen card revokes that card at once.
        card_lifecycle.on_submit(session, actor, application, now)
        uow.commit()


def _open_batch(session: Session, office_id: int, on: date) -> Batch:
    batch = session.execute(
        select(Batch).where(
            Batch.office_id == office_id, Batch.batch_date == on, Batch.state == "open"
        )
    ).scalar_one_or_none()
    if batch is None:
        batch = Batch(office_id=office_id, batch_date=on, state="open")
        session.add(batch)
        session.flush()
    return batch


class CaptureNotFound(IssuanceError):
    def __init__(self, position: str) -> None:
        super().__init__(
            f"Nuk ka kapje për «{position}».", f"There is no capture for '{position}'."
        )


def override_quality(
    ctx: Context, actor: Actor, application_id: int, *, kind: str, position: str, reason: str
) -> None:
    """A supervisor accepts a capture below the quality threshold after the retries ran out."""
    authorize(actor, UseCase.OVERRIDE_QUALITY)
    if not reason.strip():
        raise workflow.ReasonRequired()
    with ctx.uow() as uow:
        _load(uow.session, actor, application_id)
        capture = uow.session.execute(
            select(BiometricCapture).where(
                BiometricCapture.application_id == application_id,
                BiometricCapture.kind == kind,
                BiometricCapture.position == position,
            )
        ).scalar_one_or_none()
        if capture is None:
            raise CaptureNotFound(position)
        capture.override_by_id, capture.override_reason = actor.operator_id, reason.strip()
        audit.record(
            uow.session, actor, "capture.override", "application", application_id,
            {"kind": kind, "position": position, "reason": reason.strip()}, at=ctx.clock(),
        )  # fmt: skip
        uow.commit()
