"""A card's life after production: renewal and replacement (the old card superseded, voided
or revoked), revocation by a supervisor, and the permits' daily re-check.

- A card is *valid* while it is produced or handed over and not past its expiry (the permit's
  end): an expired card does not stop a renewal.
- A REPLACEMENT application records why (``record_replacement``): lost or stolen (the police
  report attached as a PDF of the application), damaged, data changed. A lost or stolen card is
  revoked when the application is submitted (``on_submit``, called by ``enrolment.submit``).
- The new card's handover (``cards.hand_over``) supersedes the card in the holder's hands in
  the same transaction (``supersede_previous``); a damaged card, or any old card the holder
  hands in, is voided instead.
- A supervisor revokes a card with a reason (``revoke_card``), never one whose application they
  enrolled or approved (four eyes); the civil registry and FER are told through the outbox.

Every function is one transaction (or runs inside the caller's) and returns plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance.db.models import (
    Applicant,
    Application,
    Card,
    CardReplacement,
    PermitSnapshot,
    UploadedDocument,
)
from issuance.db.models.cards import VALID_CARD_STATES
from issuance.delivery import notifications, revocations
from issuance.domain.workflow import STATE_NAMES, ApplicationNotFound, State
from issuance.errors import IssuanceError
from issuance.labels import in_language
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize, require_office

if TYPE_CHECKING:
    from issuance.bootstrap import Context

# Card statuses this module brings about (the others live in ``services.cards``).
PRODUCED, HANDED_OVER, VOID = "produced", "handed_over", "void"
REVOKED = "revoked"
SUPERSEDED = "superseded"

RENEWAL, REPLACEMENT = "RENEWAL", "REPLACEMENT"

REPLACEMENT_REASONS: dict[str, tuple[str, str]] = {
    "lost": ("e humbur", "lost"),
    "stolen": ("e vjedhur", "stolen"),
    "damaged": ("e dëmtuar", "damaged"),
    "data_changed": ("të dhëna të ndryshuara", "data changed"),
}
# What a supervisor may revoke a card for.
REVOCATION_REASONS: dict[str, tuple[str, str]] = {
    "permit_revoked": ("leja e qëndrimit u revokua në FER", "residence permit revoked at FER"),
    "fraud": ("mashtrim", "fraud"),
    "death": ("vdekje e mbajtësit", "death of the holder"),
}
# Why a card left service, as shown to operators.
ENDED_REASONS: dict[str, tuple[str, str]] = {
    **REVOCATION_REASONS,
    "lost": ("e humbur", "lost"),
    "stolen": ("e vjedhur", "stolen"),
    "renewed": ("u rinovua", "renewed"),
    "replaced": ("u zëvendësua", "replaced"),
    "damaged": ("e dëmtuar, e dorëzuar", "damaged, handed in"),
    "handed_in": ("e dorëzuar nga mbajtësi", "handed in by the holder"),
}


def reason_name(reason: str, language: str) -> str:
    return in_language(ENDED_REASONS | REPLACEMENT_REASONS, reason, language, default=reason)


def is_valid(card: Card, today: date) -> bool:
    return card.status in VALID_CARD_STATES and card.expires_on >= today


def valid_cards_of(session: Session, applicant_id: int, today: date) -> list[Card]:
    """The applicant's valid cards (held, or made and waiting), newest first."""
    return list(
        session.execute(
            select(Card)
            .where(
                Card.applicant_id == applicant_id,
                Card.status.in_(VALID_CARD_STATES),
                Card.expires_on >= today,
            )
            .order_by(Card.id.desc())
        ).scalars()
    )


# --- refusals ------------------------------------------------------------------------------


class CardNotFound(IssuanceError):
    def __init__(self, what: object) -> None:
        super().__init__(f"Karta {what} nuk u gjet.", f"Card {what} was not found.")


class CardAlreadyRevoked(IssuanceError):
    def __init__(self, document_number: str) -> None:
        super().__init__(
            f"Karta {document_number} është revokuar tashmë; asgjë nuk ndryshoi.",
            f"Card {document_number} is already revoked; nothing was changed.",
        )
        self.document_number = document_number


class CardNotRevocable(IssuanceError):
    def __init__(self, document_number: str, status: str) -> None:
        super().__init__(
            f"Karta {document_number} nuk është e vlefshme (gjendja: {status}); revokohet vetëm "
            "një kartë e vlefshme.",
            f"Card {document_number} is not valid (status: {status}); only a valid card is "
            "revoked.",
        )
        self.document_number, self.status = document_number, status


class UnknownRevocationReason(IssuanceError):
    def __init__(self, reason: str) -> None:
        sq = ", ".join(REVOCATION_REASONS)
        super().__init__(
            f"Arsye e panjohur revokimi «{reason}». Zgjidhni njërën: {sq}.",
            f"Unknown revocation reason '{reason}'. Choose one of: {sq}.",
        )


class RevocationFourEyes(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Nuk mund të revokoni një kartë aplikimi të së cilës e keni pranuar ose miratuar "
            "vetë (parimi i katër syve). Një mbikëqyrës tjetër duhet ta revokojë.",
            "You cannot revoke a card whose application you enrolled or approved yourself "
            "(four-eyes principle). Another supervisor must revoke it.",
        )


class NotAReplacement(IssuanceError):
    def __init__(self, card_type: str) -> None:
        super().__init__(
            f"Arsyeja e zëvendësimit regjistrohet vetëm për një aplikim me kupon zëvendësimi; "
            f"ky aplikim është «{card_type}».",
            f"A replacement reason is recorded only for an application on a REPLACEMENT "
            f"coupon; this one is '{card_type}'.",
        )


class UnknownReplacementReason(IssuanceError):
    def __init__(self, reason: str) -> None:
        listed = ", ".join(REPLACEMENT_REASONS)
        super().__init__(
            f"Arsye e panjohur zëvendësimi «{reason}». Zgjidhni njërën: {listed}.",
            f"Unknown replacement reason '{reason}'. Choose one of: {listed}.",
        )


class PoliceReportRequired(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Për një kartë të vjedhur bashkëngjitni denoncimin në polici (PDF) para se të "
            "regjistroni arsyen.",
            "For a stolen card, attach the police report (PDF) before recording the reason.",
        )


class ReplacementNotNow(IssuanceError):
    def __init__(self, state: State) -> None:
        sq, en = STATE_NAMES[state]
        super().__init__(
            "Arsyeja e zëvendësimit regjistrohet pasi lidhet leja dhe para dorëzimit të "
            f"aplikimit; ky aplikim është «{sq}».",
            "The replacement reason is recorded once the permit is linked and before the "
            f"application is submitted; this one is '{en}'.",
        )


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevokedCard:
    card_id: int
    document_number: str
    application_id: int
    reason: str
    revoked_at: datetime


@dataclass(frozen=True)
class ReplacementRecorded:
    application_id: int
    reason: str
    replaced_document_number: str | None
    police_report_id: int | None


def locked_card(session: Session, actor: Actor, document_number: str) -> tuple[Card, Application]:
    """The card with ``document_number`` (spaces and case as typed are ignored) and its
    application, the card's row locked for this transaction; within the actor's office."""
    number = "".join(document_number.split()).upper()
    found = session.execute(
        select(Card, Application)
        .join(Application, Card.application_id == Application.id)
        .where(Card.document_number == number)
        .with_for_update(of=Card)
    ).one_or_none()
    if found is None:
        raise CardNotFound(number)
    card, application = found
    require_office(actor, application.office_id, "card")
    return card, application


# --- revocation ----------------------------------------------------------------------------


def revoke_card(
    ctx: Context, actor: Actor, document_number: str, reason: str, note: str | None = None
) -> RevokedCard:
    """A supervisor revokes a valid card (permit revoked at FER, fraud, death)."""
    authorize(actor, UseCase.REVOKE_CARD)
    reason = reason.strip().lower()
    if reason not in REVOCATION_REASONS:
        raise UnknownRevocationReason(reason)
    with ctx.uow() as uow:
        session = uow.session
        card, application = locked_card(session, actor, document_number)
        if card.status == REVOKED:
            raise CardAlreadyRevoked(card.document_number)
        if card.status not in VALID_CARD_STATES:
            raise CardNotRevocable(card.document_number, card.status)
        if actor.operator_id is not None and actor.operator_id in (
            application.clerk_id, application.decided_by_id,
        ):  # fmt: skip
            raise RevocationFourEyes()
        now = ctx.clock()
        _revoke_in(session, actor, card, application, reason, note, now)
        result = RevokedCard(card.id, card.document_number, application.id, reason, now)
        uow.commit()
        return result


def _revoke_in(
    session: Session, actor: Actor, card: Card, application: Application, reason: str,
    note: str | None, at: datetime,
) -> None:  # fmt: skip
    """Revoke inside the caller's transaction and tell both registers through the outbox."""
    previous = card.status
    card.status, card.ended_reason, card.ended_at = REVOKED, reason, at
    card.ended_by_id = actor.operator_id
    card.ended_note = note.strip() if note and note.strip() else None
    applicant = session.get(Applicant, card.applicant_id)
    snapshot = session.get(PermitSnapshot, application.permit_snapshot_id)
    revocations.enqueue_revocation(
        session, nid=applicant.nid if applicant else None,
        permit_number=snapshot.permit_number if snapshot else None,
        document_number=card.document_number, reason=reason, at=at,
    )  # fmt: skip
    notifications.enqueue_card_revoked(session, card, reason, at)  # the resident hears of it
    details = {"card": card.id, "document_number": card.document_number, "reason": reason,
               "from": previous}  # fmt: skip
    if card.ended_note:
        details["note"] = card.ended_note
    audit.record(session, actor, "card.revoked", "application", application.id, details, at=at)


# --- replacement ---------------------------------------------------------------------------


def record_replacement(
    ctx: Context,
    actor: Actor,
    application_id: int,
    reason: str,
    *,
    police_report_id: int | None = None,
) -> ReplacementRecorded:
    """Record why this REPLACEMENT application is made, and the card it replaces."""
    authorize(actor, UseCase.ENROL)
    reason = reason.strip().lower()
    if reason not in REPLACEMENT_REASONS:
        raise UnknownReplacementReason(reason)
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, application_id, with_for_update=True)
        if application is None:
            raise ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        if application.card_type != REPLACEMENT:
            raise NotAReplacement(application.card_type)
        state = State(application.state)
        if state not in (State.PERMIT_LINKED, State.BIOMETRICS_CAPTURED):
            raise ReplacementNotNow(state)
        if reason == "stolen":
            report = session.get(UploadedDocument, police_report_id) if police_report_id else None
            if report is None or report.application_id != application.id:
                raise PoliceReportRequired()
        assert application.applicant_id is not None
        held = valid_cards_of(session, application.applicant_id, ctx.clock().date())
        # No card of ours: FER says the person holds one issued before this desk's records
        # (the permit step refuses a replacement otherwise). The reason is still recorded; that
        # card is not in our hands to revoke or void, so the registers keep what they know of it.
        replaced = held[-1] if held else None  # the older one: in the holder's hands
        row = session.execute(
            select(CardReplacement).where(CardReplacement.application_id == application.id)
        ).scalar_one_or_none() or CardReplacement(application_id=application.id)
        row.reason, row.replaced_card_id = reason, replaced.id if replaced else None
        row.police_report_id = police_report_id if reason == "stolen" else None
        row.recorded_by_id, row.recorded_at = actor.operator_id, ctx.clock()
        session.add(row)
        audit.record(
            session, actor, "card.replacement_reason", "application", application.id,
            {"reason": reason, "replaces": replaced.document_number if replaced else None,
             "police_report": row.police_report_id},
            at=ctx.clock(),
        )  # fmt: skip
        result = ReplacementRecorded(
            application.id,
            reason,
            replaced.document_number if replaced else None,
            row.police_report_id,
        )
        uow.commit()
        return result


def replacement_of(session: Session, application_id: int) -> CardReplacement | None:
    return session.execute(
        select(CardReplacement).where(CardReplacement.application_id == application_id)
    ).scalar_one_or_none()


def on_submit(session: Session, actor: Actor, application: Application, at: datetime) -> None:
    """Inside ``enrolment.submit``'s transaction: a lost or stolen card is revoked at once."""
    if application.card_type != REPLACEMENT:
        return
    row = replacement_of(session, application.id)
    if row is None or row.reason not in ("lost", "stolen") or row.replaced_card_id is None:
        return
    card = session.get(Card, row.replaced_card_id, with_for_update=True)
    if card is None or card.status not in VALID_CARD_STATES:
        return
    owner = session.get(Application, card.application_id)
    assert owner is not None
    _revoke_in(session, actor, card, owner, row.reason, None, at)


# --- handover of the next card ---------------------------------------------------------------


def supersede_previous(
    session: Session,
    actor: Actor,
    card: Card,
    application: Application,
    at: datetime,
    *,
    handed_in: bool = False,
) -> list[str]:
    """Inside ``cards.hand_over``'s transaction, before ``card`` becomes handed over: the card
    in the holder's hands leaves service. Voided when handed in (always for a damaged card),
    superseded otherwise. Returns the document numbers that left service."""
    row = replacement_of(session, application.id)
    damaged = row is not None and row.reason == "damaged"
    previous = session.execute(
        select(Card)
        .where(Card.applicant_id == card.applicant_id, Card.id != card.id,
               Card.status == HANDED_OVER)
        .with_for_update()
    ).scalars().all()  # fmt: skip
    ended = []
    for old in previous:
        if damaged or handed_in:
            old.status, old.ended_reason = VOID, "damaged" if damaged else "handed_in"
        else:
            old.status = SUPERSEDED
            old.ended_reason = "renewed" if application.card_type == RENEWAL else "replaced"
        old.ended_at, old.ended_by_id, old.replaced_by_id = at, actor.operator_id, card.id
        audit.record(
            session, actor, "card.superseded", "application", old.application_id,
            {"card": old.id, "document_number": old.document_number, "status": old.status,
             "reason": old.ended_reason, "by": card.document_number},
            at=at,
        )  # fmt: skip
        ended.append(old.document_number)
    # The old card leaves the unique "one handed over per person" before the new one enters.
    session.flush()
    return ended
