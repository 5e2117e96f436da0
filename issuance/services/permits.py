"""Pulling the residence permit from FER (the foreigners' register) into the application, and
reading it again: before approval, before production, and every day for the valid cards.

What the card type asks of the person: a first card (STANDARD, URGENT) that they hold no valid
card; a REPLACEMENT that they do; a RENEWAL that they had a card here and the permit was
renewed since (a new permit, or the same one extended beyond the old card's expiry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from issuance.db.models import Applicant, Application, Card, PermitSnapshot
from issuance.db.models.cards import VALID_CARD_STATES
from issuance.delivery.clients import FerClient, PermitRecord
from issuance.delivery.clients.errors import PermitExpired, PermitHolderHasCard, PermitRevoked
from issuance.domain.workflow import ApplicationNotFound
from issuance.errors import IssuanceError
from issuance.security.permissions import Actor, UseCase, authorize, require_office
from issuance.services import enrolment
from issuance.services.enrolment import PermitData

if TYPE_CHECKING:
    from issuance.bootstrap import Context

REPLACEMENT = "REPLACEMENT"
RENEWAL = "RENEWAL"
# Cards a person once held: a renewal follows one of these.
_HELD_STATES = ("handed_over", "superseded", "void", "produced")


class RenewalWithoutCard(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Kuponi i rinovimit është për një person që ka pasur kartë qëndrimi; ky person nuk "
            "ka pasur asnjë. Për kartën e parë përdoret kupon i zakonshëm.",
            "A RENEWAL coupon is for a person who held a residence card; this person never "
            "did. A first card takes a STANDARD coupon.",
        )


class PermitNotRenewed(IssuanceError):
    def __init__(self, permit_number: str, valid_until: date) -> None:
        super().__init__(
            f"Leja {permit_number} nuk është rinovuar: karta e fundit vlen deri më "
            f"{valid_until:%d.%m.%Y}, sa leja. Rinovoni lejen në FER para kartës.",
            f"Permit {permit_number} has not been renewed: the last card is valid until "
            f"{valid_until:%Y-%m-%d}, as the permit. Renew the permit at FER before the card.",
        )


class NoCardToReplace(IssuanceError):
    def __init__(self, permit_number: str) -> None:
        super().__init__(
            f"Mbajtësi i lejes {permit_number} nuk ka kartë të vlefshme për të zëvendësuar. "
            "Për një kartë të skaduar përdoret kupon rinovimi.",
            f"The holder of permit {permit_number} holds no valid card to replace. An expired "
            "card is renewed with a RENEWAL coupon.",
        )


class PermitRevokedSinceEnrolment(IssuanceError):
    def __init__(self, permit_number: str) -> None:
        super().__init__(
            f"Leja e qëndrimit {permit_number} është revokuar në FER pas pranimit të aplikimit; "
            "aplikimi ndalet: refuzojeni me këtë arsye.",
            f"Residence permit {permit_number} was revoked at FER after the application was "
            "enrolled; the application stops here: reject it with this reason.",
        )
        self.permit_number = permit_number


class PermitEndedSinceEnrolment(IssuanceError):
    def __init__(self, permit_number: str, valid_until: date) -> None:
        super().__init__(
            f"Leja e qëndrimit {permit_number} ka përfunduar më {valid_until:%d.%m.%Y} sipas "
            "FER; aplikimi ndalet: refuzojeni me këtë arsye.",
            f"Residence permit {permit_number} ended on {valid_until:%Y-%m-%d} according to "
            "FER; the application stops here: reject it with this reason.",
        )
        self.permit_number = permit_number


def pull_permit(
    ctx: Context,
    actor: Actor,
    application_id: int,
    fer: FerClient,
    *,
    permit_number: str | None = None,
    passport_number: str | None = None,
    nationality: str | None = None,
) -> PermitRecord:
    """Look the permit up, refuse what cannot carry a card, snapshot it with the application."""
    authorize(actor, UseCase.ENROL)
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        if application is None:
            raise ApplicationNotFound(application_id)
        card_type = application.card_type
    if permit_number:
        record = fer.by_permit(permit_number, require_eligible=False)
    else:
        record = fer.by_passport(passport_number or "", nationality or "", require_eligible=False)
    _check(ctx, record, card_type)
    enrolment.link_permit(ctx, actor, application_id, _permit_data(record))
    return record


def _check(ctx: Context, record: PermitRecord, card_type: str) -> None:
    if record.status == "REVOKED":
        raise PermitRevoked(record.permit_number)
    today = ctx.clock().date()
    if record.status == "EXPIRED" or record.valid_until < today:
        raise PermitExpired(record.permit_number)
    if card_type == RENEWAL:
        last = _cards_here(ctx, record, _HELD_STATES)
        if not last:
            raise RenewalWithoutCard()
        newest = max(last, key=lambda c: c.expires_on)
        if record.valid_until <= newest.expires_on:
            raise PermitNotRenewed(record.permit_number, newest.expires_on)
        return
    holds = record.holds_valid_card or bool(_cards_here(ctx, record, VALID_CARD_STATES, today))
    if card_type == REPLACEMENT:
        if not holds:
            raise NoCardToReplace(record.permit_number)
        return
    if holds:
        raise PermitHolderHasCard(record.permit_number)


def _cards_here(
    ctx: Context, record: PermitRecord, states: tuple[str, ...], valid_on: date | None = None
) -> list[Card]:
    """The person's cards in ``states`` (valid on ``valid_on`` when given) in our records:
    FER may not know yet of a card issued this morning."""
    same_person = Applicant.passport_number == record.passport_number
    if record.nid:
        same_person = or_(same_person, Applicant.nid == record.nid)
    with ctx.uow() as uow:
        query = (
            select(Card)
            .join(Applicant, Card.applicant_id == Applicant.id)
            .where(same_person, Applicant.nationality == record.nationality,
                   Card.status.in_(states))
        )  # fmt: skip
        if valid_on is not None:
            query = query.where(Card.expires_on >= valid_on)
        cards = list(uow.session.execute(query).scalars())
        uow.session.expunge_all()
        return cards


# --- FER read again ------------------------------------------------------------------------


def recheck_application(ctx: Context, actor: Actor, application_id: int, fer: FerClient) -> None:
    """Read the application's permit from FER again (before approval, before production): a
    permit revoked or ended since enrolment stops the application with a clear reason."""
    authorize(actor, UseCase.VIEW_APPLICATION)
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        if application is None:
            raise ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        snapshot = uow.session.get(PermitSnapshot, application.permit_snapshot_id)
        if snapshot is None:
            return
        number = snapshot.permit_number
    record = fer.by_permit(number, require_eligible=False)
    still_valid(record, ctx.clock().date())


def still_valid(record: PermitRecord, today: date) -> None:
    if record.status == "REVOKED":
        raise PermitRevokedSinceEnrolment(record.permit_number)
    if record.status == "EXPIRED" or record.valid_until < today:
        raise PermitEndedSinceEnrolment(record.permit_number, record.valid_until)


@dataclass(frozen=True)
class FlaggedCard:
    """A valid card whose permit FER now gives as revoked or ended."""

    document_number: str
    nid: str | None
    surname: str
    given_names: str
    permit_number: str
    permit_status: str  # REVOKED | EXPIRED
    permit_valid_until: date
    office_id: int


def recheck_cards(ctx: Context, actor: Actor, fer: FerClient) -> list[FlaggedCard]:
    """Every valid card whose permit has been revoked or has ended since (a daily timer runs
    ``issuance permits recheck``). Reads only: a supervisor revokes what is flagged."""
    authorize(actor, UseCase.RECHECK_PERMITS)
    today = ctx.clock().date()
    with ctx.read() as uow:
        rows = uow.session.execute(
            select(Card.document_number, Applicant.nid, Applicant.surname,
                   Applicant.given_names, PermitSnapshot.permit_number, Application.office_id)
            .join(Application, Card.application_id == Application.id)
            .join(Applicant, Card.applicant_id == Applicant.id)
            .join(PermitSnapshot, Application.permit_snapshot_id == PermitSnapshot.id)
            .where(Card.status.in_(VALID_CARD_STATES), Card.expires_on >= today)
            .order_by(Card.document_number)
        ).all()  # fmt: skip
    records: dict[str, PermitRecord] = {}
    flagged = []
    for number, nid, surname, given_names, permit_number, office_id in rows:
        if permit_number not in records:
            records[permit_number] = fer.by_permit(permit_number, require_eligible=False)
        record = records[permit_number]
        try:
            still_valid(record, today)
        except IssuanceError:
            status = "REVOKED" if record.status == "REVOKED" else "EXPIRED"
            flagged.append(FlaggedCard(number, nid, surname, given_names, permit_number, status,
                                       record.valid_until, office_id))  # fmt: skip
    return flagged


def _permit_data(record: PermitRecord) -> PermitData:
    return PermitData(
        permit_number=record.permit_number,
        permit_type=record.permit_type,
        status=record.status,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        surname=record.surname,
        given_names=record.given_names,
        sex=record.sex,
        birth_date=record.birth_date,
        nationality=record.nationality,
        father_name=record.father_name,
        mother_name=record.mother_name,
        place_of_birth=record.place_of_birth,
        passport_number=record.passport_number,
        nid=record.nid,
        address=record.address_in_albania,
        payload=_payload(record),
    )


def _payload(record: PermitRecord) -> dict[str, object]:
    data = {k: getattr(record, k) for k in record.__dataclass_fields__}
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}
