"""Pulling the residence permit from FER (the foreigners' register) into the application."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from issuance.db.models import Applicant, Application, Card
from issuance.db.models.cards import VALID_CARD_STATES
from issuance.delivery.clients import FerClient, PermitRecord
from issuance.delivery.clients.errors import PermitExpired, PermitHolderHasCard, PermitRevoked
from issuance.domain.workflow import ApplicationNotFound
from issuance.security.permissions import Actor, UseCase, authorize
from issuance.services import enrolment
from issuance.services.enrolment import PermitData

if TYPE_CHECKING:
    from issuance.bootstrap import Context

REPLACEMENT = "REPLACEMENT"


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
    _check(ctx, record, replacement=card_type == REPLACEMENT)
    enrolment.link_permit(ctx, actor, application_id, _permit_data(record))
    return record


def _check(ctx: Context, record: PermitRecord, *, replacement: bool) -> None:
    if record.status == "REVOKED":
        raise PermitRevoked(record.permit_number)
    if record.status == "EXPIRED" or record.valid_until < ctx.clock().date():
        raise PermitExpired(record.permit_number)
    if not replacement and (record.holds_valid_card or _holds_card_here(ctx, record)):
        raise PermitHolderHasCard(record.permit_number)


def _holds_card_here(ctx: Context, record: PermitRecord) -> bool:
    """Our own records count too: FER may not know yet of a card issued this morning."""
    with ctx.uow() as uow:
        query = (
            select(Card.id)
            .join(Applicant, Card.applicant_id == Applicant.id)
            .where(
                Applicant.passport_number == record.passport_number,
                Applicant.nationality == record.nationality,
                Card.status.in_(VALID_CARD_STATES),
            )
        )
        return uow.session.execute(query).first() is not None


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
