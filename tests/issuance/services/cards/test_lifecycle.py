"""A card's life after the first one, through the real services, FER and the civil registry's
stand-ins and the outbox, on SQLite and PostgreSQL: renewal, replacement of a stolen card,
revocation after FER revoked the permit, a blank left in production recorded as spoiled; and
the refusals, each of which changes nothing and says why."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select

from devtools.standins import Sandbox, SandboxConfig
from devtools.standins.fer import PermitEntry
from devtools.virtual_card.simulated import applet_station
from issuance.db.models import (
    Applicant,
    Application,
    AuditEvent,
    Card,
    CardReplacement,
    OutboxMessage,
)
from issuance.delivery import outbox, revocations
from issuance.delivery.clients.errors import PermitExpired
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import State
from issuance.queries import cards as card_queries
from issuance.services import (
    attachments,
    batches,
    card_lifecycle,
    cards,
    coupons,
    enrolment,
    permits,
)
from issuance.services.enrolment import FINGER_POSITIONS
from tests.issuance.documents.samples import photo_jpeg
from tests.support.faces import make_face_jpeg
from tests.support.world import fake_png

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def sandbox(clock):
    sb = Sandbox(SandboxConfig()).start()
    sb.fer._today = lambda: clock().date()  # FER's "today" is the test's
    yield sb
    sb.stop()


def _person(sandbox, permit_number, passport, *, until=dt.date(2028, 1, 1),
            since=dt.date(2025, 1, 1), surname="Hoxha"):  # fmt: skip
    sandbox.fer.add(PermitEntry(
        permit_number=permit_number, surname=surname, given_names="Arbër", father_name="Gëzim",
        mother_name="Vjollca", sex="M", birth_date=dt.date(1990, 1, 1), place_of_birth="Prishtinë",
        nationality="XKX", passport_number=passport, address="Rruga e Kavajës 10, Tiranë",
        permit_type="TEMPORARY_WORK", valid_from=since, valid_until=until,
    ))  # fmt: skip


def _start(ctx, world, registers, coupon, card_type, permit_number):
    draft = enrolment.start_draft(ctx, world.clerk, card_type=card_type)
    coupons.verify_and_reserve(ctx, world.clerk, draft.id, coupon, registers.vouchers)
    permits.pull_permit(ctx, world.clerk, draft.id, registers.fer, permit_number=permit_number)
    return draft.id


def _capture_and_submit(ctx, world, application_id, before_submit=None):
    clerk = world.clerk
    enrolment.store_capture(ctx, clerk, application_id, kind="face", position="face",
                            image=photo_jpeg(), image_format="jpeg", quality=90)  # fmt: skip
    enrolment.store_capture(ctx, clerk, application_id, kind="face", position="face_chip",
                            image=make_face_jpeg(), image_format="jpeg", quality=90,
                            for_chip=True)  # fmt: skip
    for position in FINGER_POSITIONS:
        enrolment.store_capture(ctx, clerk, application_id, kind="finger", position=position,
                                image=fake_png(), image_format="png", quality=70)  # fmt: skip
    enrolment.store_signature(ctx, clerk, application_id, image=fake_png())
    if before_submit:
        before_submit(application_id)
    enrolment.mark_biometrics_captured(ctx, clerk, application_id)
    enrolment.acknowledge_privacy_notice(ctx, clerk, application_id)
    enrolment.submit(ctx, clerk, application_id)


def _deliver(ctx, registers):
    worker = outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=2,
                                 rng=random.Random(3))  # fmt: skip
    return worker.run_until_idle()


def _produce(ctx, world, application_id, folder_printer, pki, fer=None):
    return cards.produce_card(
        ctx, world.card_operator, application_id, printer=folder_printer,
        station=applet_station(), signer=pki.signer(), csca=pki.csca_certificate, fer=fer,
    )  # fmt: skip


def _issue(ctx, world, registers, folder_printer, pki, application_id, **handover):
    """Approve, produce, deliver to the registry, hand over: the card's document number."""
    nid = batches.approve(ctx, world.supervisor, application_id)
    produced = _produce(ctx, world, application_id, folder_printer, pki)
    assert _deliver(ctx, registers).alerted == 0
    assert _state(ctx, application_id) == State.REGISTERED
    cards.hand_over(ctx, world.card_operator, application_id, produced.document_number,
                    **handover)  # fmt: skip
    return nid, produced.document_number


def _state(ctx, application_id):
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).state


def _card(ctx, number):
    with ctx.uow() as uow:
        card = uow.session.execute(select(Card).where(Card.document_number == number)).scalar_one()
        uow.session.expunge(card)
        return card


def _count(ctx, model):
    with ctx.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_renewal_on_a_renewed_permit_keeps_the_nid_and_voids_the_handed_in_card(
    ctx, world, registers, sandbox, folder_printer, pki, clock
):
    _person(sandbox, "LQ5000001", "PR0000001", until=dt.date(2027, 1, 1))
    first = _start(ctx, world, registers, "PSH10000001", "STANDARD", "LQ5000001")
    _capture_and_submit(ctx, world, first)
    nid, old_number = _issue(ctx, world, registers, folder_printer, pki, first)
    assert _card(ctx, old_number).expires_on == dt.date(2027, 1, 1)

    # The card expired with the permit: renewing on that same permit says why, changes nothing.
    clock.advance(days=60)
    refused = enrolment.start_draft(ctx, world.clerk, card_type="RENEWAL")
    coupons.verify_and_reserve(ctx, world.clerk, refused.id, "PSH50000001", registers.vouchers)
    with pytest.raises(PermitExpired) as caught:
        permits.pull_permit(ctx, world.clerk, refused.id, registers.fer, permit_number="LQ5000001")
    assert "LQ5000001" in caught.value.message("en")
    assert _state(ctx, refused.id) == State.COUPON_VERIFIED

    # FER renewed the permit: a new permit number, valid two more years.
    _person(sandbox, "LQ5000002", "PR0000001", since=dt.date(2027, 1, 2), until=dt.date(2029, 1, 1))
    renewal = _start(ctx, world, registers, "PSH50000002", "RENEWAL", "LQ5000002")
    _capture_and_submit(ctx, world, renewal)  # photo and fingers captured again
    assert batches.approve(ctx, world.supervisor, renewal) == nid  # the NID is for life
    produced = _produce(ctx, world, renewal, folder_printer, pki)
    assert produced.document_number != old_number and produced.nid == nid
    assert produced.expires_on == dt.date(2029, 1, 1)
    assert _deliver(ctx, registers).alerted == 0
    assert _state(ctx, renewal) == State.REGISTERED

    card = cards.hand_over(ctx, world.card_operator, renewal, produced.document_number,
                           old_card_handed_in=True)  # fmt: skip
    assert card.status == "handed_over"
    old = _card(ctx, old_number)
    assert (old.status, old.ended_reason, old.replaced_by_id) == ("void", "handed_in", card.card_id)


def test_a_renewal_card_supersedes_the_card_still_in_the_holders_hands(
    ctx, world, registers, sandbox, folder_printer, pki, clock
):
    _person(sandbox, "LQ5100001", "PR0000011", until=dt.date(2027, 1, 1))
    first = _start(ctx, world, registers, "PSH10000002", "STANDARD", "LQ5100001")
    _capture_and_submit(ctx, world, first)
    nid, old_number = _issue(ctx, world, registers, folder_printer, pki, first)
    # The same permit extended at FER before the card expired: the old card is still valid.
    clock.advance(days=20)
    _person(sandbox, "LQ5100001", "PR0000011", until=dt.date(2029, 6, 1))
    renewal = _start(ctx, world, registers, "PSH50000003", "RENEWAL", "LQ5100001")
    _capture_and_submit(ctx, world, renewal)
    new_nid, new_number = _issue(ctx, world, registers, folder_printer, pki, renewal)
    assert new_nid == nid
    old = _card(ctx, old_number)
    assert (old.status, old.ended_reason) == ("superseded", "renewed")
    assert _card(ctx, new_number).status == "handed_over"


def test_a_renewal_coupon_for_a_first_card_is_refused_and_changes_nothing(
    ctx, world, registers, sandbox
):
    _person(sandbox, "LQ5200001", "PR0000021")
    draft = enrolment.start_draft(ctx, world.clerk, card_type="RENEWAL")
    coupons.verify_and_reserve(ctx, world.clerk, draft.id, "PSH50000004", registers.vouchers)
    with pytest.raises(permits.RenewalWithoutCard) as caught:
        permits.pull_permit(ctx, world.clerk, draft.id, registers.fer, permit_number="LQ5200001")
    assert "STANDARD" in caught.value.message("en") and "kupon" in caught.value.message("sq")
    assert _state(ctx, draft.id) == State.COUPON_VERIFIED


def test_renewing_on_a_permit_not_renewed_is_refused(ctx, world, registers, sandbox,
                                                     folder_printer, pki):  # fmt: skip
    _person(sandbox, "LQ5300001", "PR0000031")
    first = _start(ctx, world, registers, "PSH10000003", "STANDARD", "LQ5300001")
    _capture_and_submit(ctx, world, first)
    _issue(ctx, world, registers, folder_printer, pki, first)
    draft = enrolment.start_draft(ctx, world.clerk, card_type="RENEWAL")
    coupons.verify_and_reserve(ctx, world.clerk, draft.id, "PSH50000005", registers.vouchers)
    with pytest.raises(permits.PermitNotRenewed):
        permits.pull_permit(ctx, world.clerk, draft.id, registers.fer, permit_number="LQ5300001")
    assert _state(ctx, draft.id) == State.COUPON_VERIFIED


def test_a_stolen_card_is_revoked_at_submission_and_the_registers_are_told(
    ctx, world, registers, sandbox, folder_printer, pki, clock
):
    _person(sandbox, "LQ6000001", "PR0000041")
    first = _start(ctx, world, registers, "PSH10000004", "STANDARD", "LQ6000001")
    _capture_and_submit(ctx, world, first)
    nid, stolen = _issue(ctx, world, registers, folder_printer, pki, first)
    clock.advance(days=10)

    replacement = _start(ctx, world, registers, "PSH30000001", "REPLACEMENT", "LQ6000001")

    def reason(application_id):
        # Stolen needs the police report: refused without it, nothing recorded.
        with pytest.raises(card_lifecycle.PoliceReportRequired):
            card_lifecycle.record_replacement(ctx, world.clerk, application_id, "stolen")
        assert _count(ctx, CardReplacement) == 0
        report = enrolment.attach_document(ctx, world.clerk, application_id, "policia.pdf", PDF)
        recorded = card_lifecycle.record_replacement(
            ctx, world.clerk, application_id, "stolen", police_report_id=report
        )
        assert (recorded.replaced_document_number, recorded.police_report_id) == (stolen, report)
        # The report the reason rests on cannot be removed while that reason is recorded.
        with pytest.raises(attachments.PoliceReportInUse):
            attachments.remove_document(ctx, world.clerk, application_id, report)
        assert _card(ctx, stolen).status == "handed_over"  # not before submission

    _capture_and_submit(ctx, world, replacement, before_submit=reason)
    old = _card(ctx, stolen)
    assert (old.status, old.ended_reason) == ("revoked", "stolen")
    _deliver(ctx, registers)
    assert sandbox.civil_registry.revocations()[(nid, stolen)]["reason"] == "STOLEN"
    assert sandbox.fer.card_revocations()[("LQ6000001", stolen)]["reason"] == "STOLEN"

    new_nid, new_number = _issue(ctx, world, registers, folder_printer, pki, replacement)
    assert new_nid == nid and new_number != stolen
    assert _card(ctx, stolen).status == "revoked"  # stays revoked after the handover
    assert sandbox.civil_registry.person_count() == 1


def test_replacing_when_there_is_no_valid_card_is_refused(ctx, world, registers, sandbox):
    _person(sandbox, "LQ6100001", "PR0000051")
    draft = enrolment.start_draft(ctx, world.clerk, card_type="REPLACEMENT")
    coupons.verify_and_reserve(ctx, world.clerk, draft.id, "PSH30000002", registers.vouchers)
    with pytest.raises(permits.NoCardToReplace) as caught:
        permits.pull_permit(ctx, world.clerk, draft.id, registers.fer, permit_number="LQ6100001")
    assert "RENEWAL" in caught.value.message("en")
    assert _state(ctx, draft.id) == State.COUPON_VERIFIED


def test_a_damaged_card_is_collected_and_voided_at_handover(
    ctx, world, registers, sandbox, folder_printer, pki
):
    _person(sandbox, "LQ6200001", "PR0000061")
    first = _start(ctx, world, registers, "PSH10000005", "STANDARD", "LQ6200001")
    _capture_and_submit(ctx, world, first)
    _, damaged = _issue(ctx, world, registers, folder_printer, pki, first)
    replacement = _start(ctx, world, registers, "PSH30000003", "REPLACEMENT", "LQ6200001")
    _capture_and_submit(ctx, world, replacement, before_submit=lambda a: (
        card_lifecycle.record_replacement(ctx, world.clerk, a, "damaged")))  # fmt: skip
    assert _card(ctx, damaged).status == "handed_over"  # still valid until the handover
    _issue(ctx, world, registers, folder_printer, pki, replacement)
    old = _card(ctx, damaged)
    assert (old.status, old.ended_reason) == ("void", "damaged")


def test_a_card_is_revoked_after_fer_revoked_the_permit(
    ctx, world, console, registers, sandbox, folder_printer, pki
):
    _person(sandbox, "LQ7000001", "PR0000071")
    first = _start(ctx, world, registers, "PSH10000006", "STANDARD", "LQ7000001")
    _capture_and_submit(ctx, world, first)
    nid, number = _issue(ctx, world, registers, folder_printer, pki, first)
    assert permits.recheck_cards(ctx, console, registers.fer) == []

    sandbox.fer.revoke("LQ7000001")
    [flagged] = permits.recheck_cards(ctx, console, registers.fer)
    assert (flagged.document_number, flagged.permit_status, flagged.nid) == (number, "REVOKED", nid)

    # Four eyes: the supervisor who approved the card's application may not revoke it.
    with pytest.raises(card_lifecycle.RevocationFourEyes):
        card_lifecycle.revoke_card(ctx, world.supervisor, number, "permit_revoked")
    with pytest.raises(card_lifecycle.UnknownRevocationReason):
        card_lifecycle.revoke_card(ctx, console, number, "boredom")
    assert _card(ctx, number).status == "handed_over"

    with ctx.uow() as uow:  # the resident gave a mobile number: they are told
        uow.session.get(Applicant, _card(ctx, number).applicant_id).mobile = "+355691234567"
        uow.commit()
    revoked = card_lifecycle.revoke_card(ctx, console, number, "permit_revoked", note="FER 12/26")
    assert revoked.document_number == number
    card = _card(ctx, number)
    assert (card.status, card.ended_reason, card.ended_note) == (
        "revoked", "permit_revoked", "FER 12/26",
    )  # fmt: skip
    assert permits.recheck_cards(ctx, console, registers.fer) == []  # no longer valid
    _deliver(ctx, registers)
    assert sandbox.civil_registry.revocations()[(nid, number)]["reason"] == "PERMIT_REVOKED"
    assert sandbox.fer.card_revocations()[("LQ7000001", number)]["reason"] == "PERMIT_REVOKED"
    with ctx.uow() as uow:
        topics = uow.session.execute(
            select(OutboxMessage.topic, OutboxMessage.status)
            .where(OutboxMessage.key == number)
        ).all()  # fmt: skip
    assert sorted(topics) == [(revocations.CIVIL_REGISTRY, "delivered"),
                              (revocations.FER, "delivered")]  # fmt: skip
    with ctx.uow() as uow:
        notice = uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.key == f"card-revoked:{number}")
        ).scalar_one()
        assert (notice.topic, notice.status) == ("notification.sms", "delivered")
        assert "revoked" in notice.payload["text"]

    # Revoking it again says so and changes nothing.
    events = _count(ctx, AuditEvent)
    with pytest.raises(card_lifecycle.CardAlreadyRevoked) as caught:
        card_lifecycle.revoke_card(ctx, console, number, "fraud")
    assert "already revoked" in caught.value.message("en")
    assert _count(ctx, AuditEvent) == events
    assert _card(ctx, number).ended_reason == "permit_revoked"


def test_fer_is_read_again_before_production(ctx, world, registers, sandbox, folder_printer, pki):
    _person(sandbox, "LQ7100001", "PR0000081")
    application_id = _start(ctx, world, registers, "PSH10000007", "STANDARD", "LQ7100001")
    _capture_and_submit(ctx, world, application_id)
    batches.approve(ctx, world.supervisor, application_id)
    sandbox.fer.revoke("LQ7100001")
    with pytest.raises(permits.PermitRevokedSinceEnrolment) as caught:
        _produce(ctx, world, application_id, folder_printer, pki, fer=registers.fer)
    assert "LQ7100001" in caught.value.message("en") and "reject" in caught.value.message("en")
    assert _count(ctx, Card) == 0 and _state(ctx, application_id) == State.APPROVED


def test_fer_is_read_again_at_approval(ctx, world, registers, sandbox, clock):
    _person(sandbox, "LQ7200001", "PR0000091", until=dt.date(2026, 12, 1))
    application_id = _start(ctx, world, registers, "PSH10000008", "STANDARD", "LQ7200001")
    _capture_and_submit(ctx, world, application_id)
    clock.advance(days=10)  # the permit ended meanwhile
    with pytest.raises(permits.PermitEndedSinceEnrolment):
        batches.approve(ctx, world.supervisor, application_id, fer=registers.fer)
    assert _state(ctx, application_id) == State.SUBMITTED


def test_a_blank_left_in_production_is_recorded_as_spoiled_and_the_application_waits_again(
    ctx, world, console, registers, sandbox, folder_printer, pki
):
    _person(sandbox, "LQ8000001", "PR0000101")
    application_id = _start(ctx, world, registers, "PSH10000009", "STANDARD", "LQ8000001")
    _capture_and_submit(ctx, world, application_id)
    batches.approve(ctx, world.supervisor, application_id)
    blank = cards._reserve(ctx, world.card_operator, application_id)  # the desk died here
    with pytest.raises(cards.ProductionInProgress):
        _produce(ctx, world, application_id, folder_printer, pki)
    [waiting] = card_queries.waiting_for_card(ctx, world.card_operator)
    assert waiting.left_in_production == blank.document_number

    with pytest.raises(cards.CardNotFound):
        cards.spoil_card(ctx, world.card_operator, "TR0000000", "jammed")
    with pytest.raises(card_lifecycle.UnknownRevocationReason):
        card_lifecycle.revoke_card(ctx, console, blank.document_number, "spoiled")
    spoiled = cards.spoil_card(ctx, world.card_operator, blank.document_number.lower(),
                               "  The printer jammed;\n card bent  ")  # fmt: skip
    assert (spoiled.status, spoiled.spoiled_reason) == ("spoiled", "The printer jammed; card bent")
    with pytest.raises(cards.CardNotInProduction):
        cards.spoil_card(ctx, world.card_operator, blank.document_number, "again")
    [waiting] = card_queries.waiting_for_card(ctx, world.card_operator)
    assert (waiting.left_in_production, waiting.spoiled) == (None, 1)
    [listed] = card_queries.spoiled_cards(ctx, world.card_operator)
    assert listed.reason == "The printer jammed; card bent" == listed.reason_sq

    produced = _produce(ctx, world, application_id, folder_printer, pki)
    assert produced.document_number != blank.document_number
    assert _state(ctx, application_id) == State.CARD_PRODUCED


def test_approving_the_whole_batch_skips_a_permit_revoked_since(ctx, world, registers, sandbox):
    _person(sandbox, "LQ7300001", "PR0000111")
    _person(sandbox, "LQ7300002", "PR0000112", surname="Leka")
    kept = _start(ctx, world, registers, "PSH10000010", "STANDARD", "LQ7300001")
    _capture_and_submit(ctx, world, kept)
    stopped = _start(ctx, world, registers, "PSH10000013", "STANDARD", "LQ7300002")
    _capture_and_submit(ctx, world, stopped)
    sandbox.fer.revoke("LQ7300002")
    with ctx.uow() as uow:
        batch_id = uow.session.get(Application, kept).batch_id
    summary = batches.approve_remaining(ctx, world.supervisor, batch_id, fer=registers.fer)
    assert [a.application_id for a in summary.approved] == [kept]
    [skipped] = summary.skipped
    assert skipped.application_id == stopped
    assert isinstance(skipped.reason, permits.PermitRevokedSinceEnrolment)
    assert _state(ctx, stopped) == State.SUBMITTED


def test_a_misprinted_card_found_before_the_handover_goes_back_to_the_queue(
    ctx, world, registers, sandbox, folder_printer, pki
):
    _person(sandbox, "LQ8100001", "PR0000121")
    application_id = _start(ctx, world, registers, "PSH10000014", "STANDARD", "LQ8100001")
    _capture_and_submit(ctx, world, application_id)
    batches.approve(ctx, world.supervisor, application_id)
    misprinted = _produce(ctx, world, application_id, folder_printer, pki)
    _deliver(ctx, registers)
    assert _state(ctx, application_id) == State.REGISTERED

    spoiled = cards.spoil_card(ctx, world.card_operator, misprinted.document_number,
                               "Photo printed off-centre")  # fmt: skip
    assert (spoiled.status, spoiled.spoiled_reason) == ("spoiled", "Photo printed off-centre")
    assert _state(ctx, application_id) == State.APPROVED
    [waiting] = card_queries.waiting_for_card(ctx, world.card_operator)
    assert (waiting.application_id, waiting.spoiled) == (application_id, 1)

    again = _produce(ctx, world, application_id, folder_printer, pki)
    # The registry confirmed the person already: e-Albania ready again at once.
    assert _state(ctx, application_id) == State.REGISTERED
    cards.hand_over(ctx, world.card_operator, application_id, again.document_number)
    with pytest.raises(cards.CardNotInProduction) as caught:  # a handed-over card: no
        cards.spoil_card(ctx, world.card_operator, again.document_number, "bent")
    assert "cannot be recorded as spoiled" in caught.value.message("en")
    assert _card(ctx, again.document_number).status == "handed_over"
