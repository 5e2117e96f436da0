"""Producing a card end to end through the real devices, and what happens when a blank fails."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from devices.card_printer import open_card_printer
from devtools.backends import development_devices
from devtools.virtual_card import PassportApplet, VpcdCard
from issuance.chip.read_back import verify_card
from issuance.chip.station import open_card_station
from issuance.chip.status_words import ChipReadBackFailed
from issuance.db.models import Application, AuditEvent, Card
from issuance.domain.identity import document_numbers, parse_td1
from issuance.domain.workflow import State
from issuance.ports.card_printer_errors import PrinterPaused
from issuance.ports.card_reader_errors import CardRemoved
from issuance.security import audit
from issuance.services import applications, cards
from tests.issuance.documents.pdfcheck import code128_texts, render_page
from tests.issuance.services.cards.conftest import (
    ADDRESS,
    BIRTH_DATE,
    PERMIT_END,
    READER,
    SPARE_READER,
    approved,
    submitted,
)
from tests.support.faces import FACE_SIZE
from tests.support.keys import desk_keys
from tests.support.pcsc import card_in_reader, port_of

DEVICES = development_devices()

SPEC = f"pcsc:{READER}"


def _cards(ctx, application_id):
    with ctx.uow() as uow:
        return list(
            uow.session.execute(
                select(Card).where(Card.application_id == application_id).order_by(Card.id)
            ).scalars()
        )


def _state(ctx, application_id):
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).state


def _actions(ctx, application_id):
    with ctx.uow() as uow:
        return [
            (e.action, e.details)
            for e in uow.session.execute(
                select(AuditEvent)
                .where(AuditEvent.entity_type == "application",
                       AuditEvent.entity_id == str(application_id))
                .order_by(AuditEvent.seq)
            ).scalars()
        ]


def test_a_card_is_printed_through_cups_encoded_through_pcscd_and_verified(
    ctx, world, queue_state, station, blank_card, pki
):
    application_id, nid = approved(ctx, world)
    printer = open_card_printer(f"cups:{queue_state.queue}")
    steps: list[str] = []
    try:
        produced = cards.produce_card(
            ctx, world.card_operator, application_id, printer=printer, station=station,
            signer=pki.signer(), csca=pki.csca_certificate, progress=steps.append,
        )  # fmt: skip
    finally:
        printer.close()
    number = produced.document_number
    assert document_numbers.is_valid(number) and number.startswith("TR")
    assert produced.nid == nid
    assert (produced.issued_on, produced.expires_on) == (ctx.clock().date(), PERMIT_END)
    assert steps[:2] == ["checking the card in the reader", "printing the card face"]
    assert steps[-1] == "card produced"
    assert "reading the chip back through BAC" in steps

    # What came out of the printer: two ID-1 pages; the back's barcode is the document number.
    printed = queue_state.output_of(produced.print_outcome.job_id)
    try:
        assert len(PdfReader(io.BytesIO(printed.read_bytes())).pages) == 2
        assert code128_texts(render_page(printed, 2, dpi=600)) == [number]
    finally:
        printed.unlink()

    # The MRZ: our document number, the NID in optional data, the holder's nationality.
    td1 = parse_td1(produced.mrz_lines, today=ctx.clock().date())
    assert (td1.document_code, td1.issuing_state) == ("IR", "ALB")
    assert (td1.document_number, td1.optional1, td1.nationality) == (number, nid, "XKX")
    assert (td1.surname, td1.given_names) == ("CELA", "ENDRIT BESNIK")
    assert (td1.birth_date, td1.expiry_date) == (BIRTH_DATE, PERMIT_END)

    # The station read the chip back through BAC and verified the SOD and the certificates.
    checks = {c.name: c.passed for c in produced.encoding.checks}
    assert produced.encoding.passed and checks["read back"] and checks["DS certificate"]
    assert blank_card.applet.locked

    # An independent reading of the card, as `issuance card verify` does it.
    report = verify_card(DEVICES, SPEC, number, BIRTH_DATE, PERMIT_END, pki.csca_certificate)
    assert report.passed, str(report)
    assert report.mrz == "".join(produced.mrz_lines)
    assert report.holder.full_name == "Çela<<Ëndrit<Besnik"  # ICAO 9303-10, diacritics kept
    assert report.holder.personal_number == nid
    assert report.holder.place_of_birth == "Prishtinë"
    assert report.holder.address == ADDRESS
    assert (report.face_width, report.face_height) == FACE_SIZE

    # One transaction recorded the card, the state and the audit events.
    [card] = _cards(ctx, application_id)
    assert (card.status, card.document_number, card.spoiled_reason) == ("produced", number, None)
    assert card.operator_id == world.card_operator.operator_id
    assert _state(ctx, application_id) == "card_produced"
    actions = _actions(ctx, application_id)
    names = [a for a, _ in actions]
    assert names[-3:] == ["card.production_started", "application.transition", "card.produced"]
    assert actions[-2][1] == {"from": "approved", "to": "card_produced"}
    assert actions[-1][1]["document_number"] == number
    assert audit.verify(ctx, world.supervisor).intact


def test_a_card_removed_mid_way_is_spoiled_and_the_next_blank_gets_a_new_number(
    ctx, world, folder_printer, pcscd, pki
):
    application_id, _ = approved(ctx, world, chip_face=False)
    station = open_card_station(DEVICES, f"pcsc:{SPARE_READER}", card_timeout=5)
    produce = dict(printer=folder_printer, station=station, signer=pki.signer(),
                   csca=pki.csca_certificate)
    # Six APDUs check the card blank, six more start writing it: then it is pulled.
    pulled = VpcdCard(PassportApplet(), port=port_of(SPARE_READER), disconnect_after_apdus=12)
    with card_in_reader(pulled, SPARE_READER):
        with pytest.raises(cards.CardSpoiled) as caught:
            cards.produce_card(ctx, world.card_operator, application_id, **produce)
    assert pulled.removed.is_set() and not pulled.applet.locked
    spoiled_number = caught.value.document_number
    assert isinstance(caught.value.cause, CardRemoved)
    assert "next blank" in caught.value.message("en") and spoiled_number in caught.value.en
    assert "radhës" in caught.value.message("sq")

    [spoiled] = _cards(ctx, application_id)
    assert (spoiled.status, spoiled.document_number) == ("spoiled", spoiled_number)
    # The reason in words, in both languages (the kind of failure is in the audit event).
    assert spoiled.spoiled_reason.startswith("The card was removed or stopped answering")
    assert spoiled.spoiled_reason_sq == caught.value.cause.message("sq")
    assert _state(ctx, application_id) == "approved"
    assert ("card.spoiled", {"card": spoiled.id, "document_number": spoiled_number,
                             "reason": spoiled.spoiled_reason, "kind": "CardRemoved"}
            ) in _actions(ctx, application_id)  # fmt: skip

    fresh_card = VpcdCard(PassportApplet(), port=port_of(SPARE_READER))
    with card_in_reader(fresh_card, SPARE_READER) as fresh:
        produced = cards.produce_card(ctx, world.card_operator, application_id, **produce)
        assert fresh.applet.locked
        read = verify_card(DEVICES, f"pcsc:{SPARE_READER}", produced.document_number, BIRTH_DATE,
                           PERMIT_END, pki.csca_certificate)
    # Without a separate chip image the portrait goes on the chip.
    assert read.passed and (read.face_width, read.face_height) == (350, 450)
    assert produced.document_number != spoiled_number
    assert produced.document_number[2:] > spoiled_number[2:]  # numbers only go forward
    used = cards.cards_of(ctx, world.card_operator, application_id)
    assert [(c.document_number, c.status) for c in used] == [
        (spoiled_number, "spoiled"), (produced.document_number, "produced"),
    ]
    assert produced.encoding.passed
    assert _state(ctx, application_id) == "card_produced"


def test_a_chip_that_fails_verification_is_spoiled(ctx, world, folder_printer, station, pki,
                                                    tmp_path):
    application_id, _ = approved(ctx, world)
    stranger = desk_keys(tmp_path / "other-pki")  # a signer our CSCA never issued
    with pytest.raises(cards.CardSpoiled) as caught:
        cards.produce_card(
            ctx, world.card_operator, application_id, printer=folder_printer, station=station,
            signer=stranger.signer(), csca=pki.csca_certificate,
        )  # fmt: skip
    assert isinstance(caught.value.cause, ChipReadBackFailed)
    [card] = _cards(ctx, application_id)
    assert card.status == "spoiled" and card.spoiled_reason == caught.value.cause.message("en")
    assert _state(ctx, application_id) == "approved"


def test_a_paused_printer_uses_no_blank_and_the_number_is_retired(
    ctx, world, queue_state, station, blank_card, pki
):
    import subprocess

    application_id, _ = approved(ctx, world)
    printer = open_card_printer(f"cups:{queue_state.queue}")
    subprocess.run(["cupsdisable", queue_state.queue], check=True)
    try:
        with pytest.raises(PrinterPaused):
            cards.produce_card(
                ctx, world.card_operator, application_id, printer=printer, station=station,
                signer=pki.signer(), csca=pki.csca_certificate,
            )  # fmt: skip
    finally:
        printer.close()
    [card] = _cards(ctx, application_id)
    assert card.status == "void" and card.spoiled_reason.startswith("Not started: ")
    assert card.spoiled_reason_sq.startswith("Nuk filloi: ")
    assert not blank_card.applet.locked and _state(ctx, application_id) == "approved"


def test_a_second_card_for_the_same_person_is_refused(ctx, world, folder_printer, station, pki):
    application_id, _ = approved(ctx, world)
    produce = dict(printer=folder_printer, station=station, signer=pki.signer(),
                   csca=pki.csca_certificate)
    first = cards.produce_card(ctx, world.card_operator, application_id, **produce)

    with pytest.raises(cards.ValidCardExists) as caught:
        cards.produce_card(ctx, world.card_operator, application_id, **produce)
    assert first.document_number in caught.value.message("en")

    # Another application of the same person (same passport) is refused as well.
    # (Approved through the plain transition: batches.approve would queue the person for the
    # civil registry a second time.)
    again = submitted(ctx, world, coupon="PS-0002", permit_number="LQ7654321")
    applications.transition(ctx, world.supervisor, again, State.APPROVED)
    with pytest.raises(cards.ValidCardExists):
        cards.produce_card(ctx, world.card_operator, again, **produce)
    assert _cards(ctx, again) == [] and _state(ctx, again) == "approved"
    assert len(_cards(ctx, application_id)) == 1


def test_the_database_itself_refuses_a_second_valid_card(ctx, world, folder_printer, station,
                                                          pki):
    from sqlalchemy.exc import IntegrityError

    application_id, _ = approved(ctx, world)
    first = cards.produce_card(
        ctx, world.card_operator, application_id, printer=folder_printer, station=station,
        signer=pki.signer(), csca=pki.csca_certificate,
    )  # fmt: skip
    with ctx.uow() as uow, pytest.raises(IntegrityError):
        original = uow.session.execute(
            select(Card).where(Card.document_number == first.document_number)
        ).scalar_one()
        uow.session.add(Card(
            application_id=application_id, applicant_id=original.applicant_id,
            document_number="TR9999999", status="produced", issued_on=original.issued_on,
            expires_on=original.expires_on, operator_id=original.operator_id,
        ))  # fmt: skip
        uow.commit()


def test_only_an_approved_application_gets_a_card(ctx, world, folder_printer, station, pki):
    application_id = submitted(ctx, world)
    with pytest.raises(cards.ApplicationNotApproved) as caught:
        cards.produce_card(
            ctx, world.card_operator, application_id, printer=folder_printer, station=station,
            signer=pki.signer(), csca=pki.csca_certificate,
        )  # fmt: skip
    assert "submitted" in caught.value.message("en")
    assert _cards(ctx, application_id) == []
