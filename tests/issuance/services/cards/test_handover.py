"""Who may produce a card, a run cut off mid-way, and handing the card to the resident."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from issuance.db.models import Application, AuditEvent, Card, Sequence
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.security.permissions import Actor, NotPermitted
from issuance.services import applications, cards
from tests.issuance.services.cards.conftest import approved


def _produce(ctx, world, application_id, folder_printer, station, pki, actor=None, **extra):
    return cards.produce_card(
        ctx, actor or world.card_operator, application_id, printer=folder_printer,
        station=station, signer=pki.signer(), csca=pki.csca_certificate, **extra,
    )  # fmt: skip


def _statuses(ctx, application_id):
    with ctx.uow() as uow:
        return [
            (c.document_number, c.status)
            for c in uow.session.execute(
                select(Card).where(Card.application_id == application_id).order_by(Card.id)
            ).scalars()
        ]


@pytest.mark.parametrize("role", ["clerk", "supervisor", "administrator"])
def test_only_the_card_operator_produces_cards(
    ctx, world, folder_printer, station, blank_card, pki, role
):
    application_id, _ = approved(ctx, world)
    with pytest.raises(NotPermitted) as caught:
        _produce(ctx, world, application_id, folder_printer, station, pki,
                 actor=getattr(world, role))
    assert "produce cards" in caught.value.message("en")
    assert "produce_card" not in caught.value.message("en")
    assert _statuses(ctx, application_id) == []
    with ctx.uow() as uow:  # no document number was drawn
        assert uow.session.get(Sequence, "document:TR") is None
    assert not blank_card.applet.locked
    with pytest.raises(KeyError):  # nothing was written to the blank
        blank_card.applet.file_content(0x011E)


class PowerCut(BaseException):
    """Stands in for the desk being killed: not an Exception, so nothing catches it."""


def test_a_run_cut_off_mid_way_blocks_the_application_until_its_blank_is_accounted_for(
    ctx, world, folder_printer, station, pki
):
    application_id, _ = approved(ctx, world)

    def cut_power(step: str) -> None:
        if step == "encoding the chip":
            raise PowerCut()

    with pytest.raises(PowerCut):
        _produce(ctx, world, application_id, folder_printer, station, pki, progress=cut_power)
    [(left_over, status)] = _statuses(ctx, application_id)
    assert status == "in_production"

    with pytest.raises(cards.ProductionInProgress) as caught:
        _produce(ctx, world, application_id, folder_printer, station, pki)
    assert left_over in caught.value.message("en")
    with pytest.raises(workflow.ReasonRequired):
        cards.spoil_card(ctx, world.card_operator, left_over, "  ")
    cards.spoil_card(ctx, world.card_operator, left_over, "desk lost power during encoding")
    with pytest.raises(cards.CardNotInProduction):
        cards.spoil_card(ctx, world.card_operator, left_over, "again")

    produced = _produce(ctx, world, application_id, folder_printer, station, pki)
    assert _statuses(ctx, application_id) == [
        (left_over, "spoiled"), (produced.document_number, "produced"),
    ]


def test_the_card_is_handed_over_once_e_albania_is_ready(
    ctx, world, folder_printer, station, pki, clock
):
    application_id, _ = approved(ctx, world)
    produced = _produce(ctx, world, application_id, folder_printer, station, pki)
    number = produced.document_number

    with pytest.raises(cards.NotReadyForHandover) as caught:
        cards.hand_over(ctx, world.card_operator, application_id, number)
    assert "e-Albania ready" in caught.value.message("en")
    applications.transition(ctx, Actor.system("civil-registry"), application_id, State.REGISTERED)

    with pytest.raises(NotPermitted):
        cards.hand_over(ctx, world.clerk, application_id, number)
    with pytest.raises(cards.HandoverMismatch):
        cards.hand_over(ctx, world.card_operator, application_id, "TR9999999")

    clock.advance(days=3)
    card = cards.hand_over(ctx, world.card_operator, application_id, f" {number.lower()} ")
    assert (card.status, card.handed_over_at) == ("handed_over", clock())
    with ctx.uow() as uow:
        assert uow.session.get(Application, application_id).state == "handed_over"
        last = uow.session.execute(
            select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)
        ).scalar_one()
        assert (last.action, last.details["document_number"]) == ("card.handed_over", number)
    # A handed-over card is still the person's valid card.
    with pytest.raises(cards.ValidCardExists):
        _produce(ctx, world, application_id, folder_printer, station, pki)
