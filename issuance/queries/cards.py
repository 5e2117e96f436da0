"""Read-only queries behind the card operator's screen: the approved applications waiting for a
card, the blanks that were spoiled (with their reasons), the cards ready for handover with the
photo stored at enrolment and the photo read from the chip in the reader, and where the
document-signing keys are.

Everything is scoped to the operator's own office: the cards are printed and handed over where
the resident applied. Decisions (may this card be produced, is this the right card) stay in
``issuance.services.cards``; these functions only list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, select

from issuance.chip.bac import BacKey
from issuance.chip.errors import BacAuthenticationFailed
from issuance.chip.lds import read_dg2_face
from issuance.chip.station import open_card_station
from issuance.chip.status_words import CardStatusError
from issuance.db.models import Applicant, Application, BiometricCapture, Card
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.errors import IssuanceError
from issuance.ports.devices import require_devices
from issuance.security.keys import FileKeyStore, SigningKeysMissing
from issuance.security.permissions import (
    Actor,
    UseCase,
    authorize,
    office_filter,
    require_office,
)
from issuance.services.cards import (
    IN_PRODUCTION,
    PORTRAIT_POSITION,
    PRODUCED,
    SPOILED,
    CardNotFound,
)
from issuance.services.enrolment import capture_context

if TYPE_CHECKING:
    from issuance.bootstrap import Context
    from issuance.config import Settings

# The spoiled list is for today's work at the station, not an archive: the newest are enough.
SPOILED_LIMIT = 200

__all__ = [
    "ChipDoesNotOpen", "ChipHoldsNoFace", "HandoverCard", "SigningKeysMissing", "SpoiledCard",
    "WaitingCard",
    "chip_photo", "enrolment_photo", "ready_for_handover", "signing_keys", "spoiled_cards",
    "waiting_for_card",
]  # fmt: skip


class ChipDoesNotOpen(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Çipi i kartës në lexues nuk hapet me të dhënat e kësaj karte: nuk është karta e "
            "këtij aplikimi ose nuk është shkruar. Kontrolloni kartën në lexues.",
            "The chip of the card in the reader does not open with this card's data: it is "
            "not this application's card, or it was never written. Check the card in the "
            "reader.",
        )


class ChipHoldsNoFace(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Çipi i kartës në lexues nuk ka fotografi që mund të lexohet.",
            "The chip of the card in the reader holds no photo that can be read.",
        )


@dataclass(frozen=True)
class WaitingCard:
    """An approved application that has no valid card yet."""

    application_id: int
    number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date
    nid: str | None
    approved_at: datetime | None
    spoiled: int  # blanks already spoiled for it (a reprint is under way)
    # A blank left in production by an interrupted run: it must be recorded as spoiled
    # (``cards.spoil_card``) before the application can get another one.
    left_in_production: str | None


@dataclass(frozen=True)
class SpoiledCard:
    card_id: int
    document_number: str
    application_id: int
    application_number: str
    surname: str
    given_names: str
    reason: str  # in words, English
    at: datetime | None
    # Whether the application still waits for a card (then "reprint" makes sense).
    still_waiting: bool
    reason_sq: str = ""  # the same words in Albanian

    def reason_in(self, language: str) -> str:
        return (self.reason_sq or self.reason) if language == "sq" else self.reason


@dataclass(frozen=True)
class HandoverCard:
    """A produced card whose holder is registered (e-Albania ready): it may be handed over."""

    application_id: int
    number: str
    surname: str
    given_names: str
    nid: str | None
    issued_on: date
    expires_on: date
    mobile: str | None
    email: str | None


def signing_keys(settings: Settings) -> FileKeyStore:
    """The desk's Document Signer and the CSCA certificate it is verified against, checked
    (``FileKeyStore``): raises ``SigningKeysMissing`` or another refusal naming the problem."""
    return FileKeyStore.load(settings.keys_dir)


def waiting_for_card(ctx: Context, actor: Actor) -> list[WaitingCard]:
    """Approved applications of the operator's office, oldest decision first (first come,
    first served), with the blanks already spoiled for each."""
    authorize(actor, UseCase.PRODUCE_CARD)
    in_office = office_filter(actor, Application.office_id)
    with ctx.read() as uow:
        session = uow.session
        rows = session.execute(
            select(Application, Applicant)
            .join(Applicant, Application.applicant_id == Applicant.id)
            .where(Application.state == State.APPROVED.value, *in_office)
            .order_by(Application.decided_at, Application.number)
        ).all()
        ids = [application.id for application, _ in rows]
        spoiled: dict[int, int] = {}
        running: dict[int, str] = {}
        if ids:
            spoiled = dict(
                session.execute(
                    select(Card.application_id, func.count())
                    .where(Card.application_id.in_(ids), Card.status == SPOILED)
                    .group_by(Card.application_id)
                ).all()
            )
            running = dict(
                session.execute(
                    select(Card.application_id, Card.document_number).where(
                        Card.application_id.in_(ids), Card.status == IN_PRODUCTION
                    )
                ).all()
            )
    return [
        WaitingCard(
            application_id=a.id,
            number=a.number,
            surname=p.surname,
            given_names=p.given_names,
            nationality=p.nationality,
            birth_date=p.birth_date,
            nid=p.nid,
            approved_at=a.decided_at,
            spoiled=spoiled.get(a.id, 0),
            left_in_production=running.get(a.id),
        )  # fmt: skip
        for a, p in rows
    ]


def spoiled_cards(ctx: Context, actor: Actor, limit: int = SPOILED_LIMIT) -> list[SpoiledCard]:
    """The office's spoiled blanks, newest first, each with the reason recorded."""
    authorize(actor, UseCase.PRODUCE_CARD)
    in_office = office_filter(actor, Application.office_id)
    query: Select = (
        select(
            Card, Application.number, Application.state, Applicant.surname, Applicant.given_names
        )  # fmt: skip
        .join(Application, Card.application_id == Application.id)
        .join(Applicant, Card.applicant_id == Applicant.id)
        .where(Card.status == SPOILED, *in_office)
        .order_by(Card.id.desc())
        .limit(limit)
    )
    with ctx.read() as uow:
        rows = uow.session.execute(query).all()
    return [
        SpoiledCard(
            card_id=card.id,
            document_number=card.document_number,
            application_id=card.application_id,
            application_number=number,
            surname=surname,
            given_names=given_names,
            reason=card.spoiled_reason or "",
            at=card.created_at,
            still_waiting=state == State.APPROVED.value,
            reason_sq=card.spoiled_reason_sq or "",
        )  # fmt: skip
        for card, number, state, surname, given_names in rows
    ]


def ready_for_handover(ctx: Context, actor: Actor) -> list[HandoverCard]:
    """Produced cards of the office whose application is e-Albania ready, oldest first.

    The document number is deliberately not listed: the operator scans it from the card in
    hand, and ``cards.hand_over`` checks it against the application."""
    authorize(actor, UseCase.HAND_OVER_CARD)
    in_office = office_filter(actor, Application.office_id)
    with ctx.read() as uow:
        rows = uow.session.execute(
            select(Application, Applicant, Card)
            .join(Applicant, Application.applicant_id == Applicant.id)
            .join(Card, Card.application_id == Application.id)
            .where(Application.state == State.REGISTERED.value, Card.status == PRODUCED, *in_office)
            .order_by(Application.registry_confirmed_at, Application.number)
        ).all()
    return [
        HandoverCard(
            application_id=a.id,
            number=a.number,
            surname=p.surname,
            given_names=p.given_names,
            nid=p.nid,
            issued_on=c.issued_on,
            expires_on=c.expires_on,
            mobile=p.mobile,
            email=p.email,
        )  # fmt: skip
        for a, p, c in rows
    ]


def _bac_key(ctx: Context, actor: Actor, application_id: int) -> BacKey:
    """The access key of the application's produced card (its number, birth date, expiry)."""
    with ctx.read() as uow:
        session = uow.session
        application = session.get(Application, application_id)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        found = session.execute(
            select(Card.document_number, Applicant.birth_date, Card.expires_on)
            .join(Applicant, Card.applicant_id == Applicant.id)
            .where(Card.application_id == application_id, Card.status == PRODUCED)
        ).one_or_none()
        if found is None:
            raise CardNotFound(application.number)
        number, birth_date, expires_on = found
    return BacKey.of(number, birth_date, expires_on)


def enrolment_photo(ctx: Context, actor: Actor, application_id: int) -> bytes | None:
    """The portrait stored at enrolment (JPEG, unsealed), for the operator to compare with the
    person collecting the card; None when the application has none."""
    authorize(actor, UseCase.HAND_OVER_CARD)
    with ctx.read() as uow:
        session = uow.session
        application = session.get(Application, application_id)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        sealed = session.execute(
            select(BiometricCapture.data_sealed).where(
                BiometricCapture.application_id == application_id,
                BiometricCapture.kind == "face",
                BiometricCapture.position == PORTRAIT_POSITION,
            )
        ).scalar_one_or_none()
    if sealed is None:
        return None
    return ctx.sealer.open(sealed, capture_context(application_id, "face", PORTRAIT_POSITION))


def chip_photo(ctx: Context, actor: Actor, application_id: int) -> bytes:
    """The face (DG2, JPEG) read through BAC from the card in the desk's reader, opened with
    the application's produced card (document number, birth date, expiry). Blocks on the
    reader: call it from a worker. A card that is not this application's does not open (the
    reader's refusal in words); a chip without a readable face raises ``ChipHoldsNoFace``."""
    authorize(actor, UseCase.HAND_OVER_CARD)
    key = _bac_key(ctx, actor, application_id)
    devices = require_devices(ctx.devices)
    with open_card_station(devices, ctx.settings.card_reader) as station:
        try:
            contents = station.read_chip(key)
        except (BacAuthenticationFailed, CardStatusError) as exc:
            raise ChipDoesNotOpen() from exc
    try:
        return read_dg2_face(contents.data_groups[2]).jpeg
    except (KeyError, ValueError) as exc:
        raise ChipHoldsNoFace() from exc
