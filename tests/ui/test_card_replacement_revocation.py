"""A card's life at the desk, through the widgets, against the stand-ins: a clerk enrols the
replacement of a stolen card (the reason and the police report on the documents step; the old
card revoked at submission, the civil registry and FER told by the outbox), and a supervisor
revokes a card from the search screen after FER revoked the permit (four eyes and a second
revocation refused in words)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from devices.card_printer import open_card_printer
from devtools.virtual_card.simulated import applet_station
from issuance.db.models import (
    Applicant,
    Application,
    Card,
    CardReplacement,
    Operator,
    OutboxMessage,
)
from issuance.delivery import outbox, revocations
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import State
from issuance.security.permissions import Actor, Role
from issuance.services import batches, cards, operators, permits
from tests.support.keys import desk_keys
from tests.support.world import PASSWORD, SUPERVISOR_SECRET, World, build_world, enrol_complete
from tests.ui.enrolment_steps import WAIT, draw_signature, press_enter
from ui.context import DeskContext
from ui.enrolment import EnrolmentHome
from ui.search import SearchPanel

LEFT = Qt.MouseButton.LeftButton
PERMIT = "LQ1234567"  # held valid by the FER stand-in (tests.support.registers.fer_holds)
POLICE_REPORT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _deliver(ctx, desk: DeskContext) -> outbox.RoundResult:
    return outbox.OutboxWorker(ctx, outbox_handlers(desk.registers)).run_until_idle()


def _issued_card(ctx, world: World, desk: DeskContext, tmp_path: Path) -> tuple[str, str]:
    """A first card enrolled, approved, produced (folder printer, in-process chip), registered
    and handed over through the services: its holder's NID and its document number."""
    application_id = enrol_complete(ctx, world.clerk, coupon="PSH10000001",
                                    vouchers=desk.registers.vouchers)  # fmt: skip
    nid = batches.approve(ctx, world.supervisor, application_id)
    pki = desk_keys(tmp_path / "pki")
    printer = open_card_printer(f"folder:{tmp_path / 'printed'}")
    try:
        produced = cards.produce_card(
            ctx, world.card_operator, application_id, printer=printer, station=applet_station(),
            signer=pki.signer(), csca=pki.csca_certificate,
        )  # fmt: skip
    finally:
        printer.close()
    assert _deliver(ctx, desk).alerted == 0
    cards.hand_over(ctx, world.card_operator, application_id, produced.document_number)
    return nid, produced.document_number


def _card(ctx, number: str) -> Card:
    with ctx.read() as uow:
        card = uow.session.execute(select(Card).where(Card.document_number == number)).scalar_one()
        uow.session.expunge(card)
        return card


def test_a_stolen_card_is_replaced_through_the_wizard_and_revoked_at_submission(
    qtbot, ctx, console, desk, sandbox, portrait_frames, tmp_path, always_close
):
    world = build_world(ctx, console)
    nid, stolen = _issued_card(ctx, world, desk, tmp_path)
    settings = dataclasses.replace(ctx.settings, camera=portrait_frames,
                                   fingerprint_scanner="simulator")  # fmt: skip
    clerk_desk = DeskContext(
        ctx=dataclasses.replace(ctx, settings=settings), registers=desk.registers,
        language="en", actor=world.clerk,
    )  # fmt: skip
    home = EnrolmentHome(clerk_desk)
    qtbot.addWidget(home)
    home.show()
    qtbot.mouseClick(home.new_button, LEFT)
    qtbot.waitUntil(lambda: home.wizard is not None, timeout=WAIT)
    wizard = home.wizard
    assert wizard is not None

    # The coupon paid for a replacement: the card type follows it.
    coupon = wizard.page("coupon")
    qtbot.keyClicks(coupon.code, "PSH30000001")
    press_enter(qtbot, coupon.code)
    qtbot.waitUntil(lambda: "is valid" in coupon.verdict.text(), timeout=WAIT)
    assert coupon.card_type.text() == "replacement"
    press_enter(qtbot, coupon.code)
    qtbot.waitUntil(lambda: wizard.current_step == "permit", timeout=WAIT)
    permit = wizard.page("permit")
    qtbot.keyClicks(permit.permit_number, PERMIT)
    press_enter(qtbot, permit.permit_number)
    qtbot.waitUntil(permit.is_complete, timeout=WAIT)
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.current_step == "photo", timeout=WAIT)

    photo = wizard.page("photo")
    qtbot.waitUntil(photo.is_complete, timeout=30_000)
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.current_step == "fingerprints", timeout=WAIT)
    fingers = wizard.page("fingerprints")
    for _ in range(6):
        qtbot.waitUntil(fingers.capture_button.isEnabled, timeout=WAIT)
        qtbot.mouseClick(fingers.capture_button, LEFT)
        qtbot.waitUntil(lambda: not fingers._capturing, timeout=WAIT)
        if fingers.enrolment.complete:
            break
    qtbot.waitUntil(fingers.is_complete, timeout=WAIT)
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.current_step == "signature", timeout=WAIT)
    draw_signature(qtbot, wizard.page("signature").area)
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.current_step == "documents", timeout=WAIT)

    # The documents step asks why the card is replaced; Next waits for the reason.
    documents = wizard.page("documents")
    assert documents.replacement.isVisible()
    assert [documents.reason.itemText(i) for i in range(1, documents.reason.count())] == [
        "lost", "stolen", "damaged", "data changed",
    ]  # fmt: skip
    assert not wizard.next_button.isEnabled()
    documents.choose_reason("stolen")
    assert documents.police_button.isEnabled()
    # Stolen without the police report: the service's sentence, nothing recorded.
    qtbot.mouseClick(documents.record_button, LEFT)
    qtbot.waitUntil(lambda: "police report" in documents.replacement_message.text(),
                    timeout=WAIT)  # fmt: skip
    assert documents.replacement_message.text() == (
        "For a stolen card, attach the police report (PDF) before recording the reason."
    )
    assert not wizard.next_button.isEnabled()
    # A file that is no PDF is refused as any scan is.
    note = tmp_path / "report.txt"
    note.write_text("not a pdf")
    documents.attach_police_report(note)
    qtbot.waitUntil(lambda: "Only PDF files" in documents.replacement_message.text(),
                    timeout=WAIT)  # fmt: skip
    report = tmp_path / "police-report.pdf"
    report.write_bytes(POLICE_REPORT)
    documents.attach_police_report(report)
    qtbot.waitUntil(lambda: "is attached" in documents.replacement_message.text(), timeout=WAIT)
    assert documents.police_report.text() == "police-report.pdf"
    qtbot.mouseClick(documents.record_button, LEFT)
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=WAIT)
    assert documents.replacement_message.text() == (
        f"Recorded: stolen. Card {stolen} is revoked when the application is submitted."
    )
    with ctx.read() as uow:
        row = uow.session.execute(select(CardReplacement)).scalar_one()
        assert (row.reason, row.police_report_id) == ("stolen", documents._police_report[1])
    assert _card(ctx, stolen).status == "handed_over"  # not before submission
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.current_step == "review", timeout=WAIT)

    review = wizard.page("review")
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=WAIT)
    review.privacy_accepted.setChecked(True)
    qtbot.mouseClick(review.submit_button, LEFT)
    qtbot.waitUntil(lambda: review.receipt_path is not None, timeout=30_000)
    with ctx.read() as uow:
        application = uow.session.execute(
            select(Application).where(Application.card_type == "REPLACEMENT")
        ).scalar_one()
        assert application.state == State.SUBMITTED
    old = _card(ctx, stolen)
    assert (old.status, old.ended_reason) == ("revoked", "stolen")

    # The outbox tells the civil registry (and FER) of the revoked card.
    assert _deliver(ctx, desk).alerted == 0
    assert sandbox.civil_registry.revocations()[(nid, stolen)]["reason"] == "STOLEN"
    assert sandbox.fer.card_revocations()[(PERMIT, stolen)]["reason"] == "STOLEN"
    qtbot.mouseClick(wizard.next_button, LEFT)  # Finish
    qtbot.waitUntil(lambda: home.wizard is None, timeout=WAIT)


def _supervisor2(ctx, console) -> Actor:
    operators.add_operator(
        ctx, console, username="supervisor2", full_name="Supervisor Two",
        role=Role.SUPERVISOR, password=PASSWORD, office_code="TR",
        totp_secret=SUPERVISOR_SECRET,
    )  # fmt: skip
    with ctx.read() as uow:
        op = uow.session.execute(
            select(Operator).where(Operator.username == "supervisor2")
        ).scalar_one()
        return Actor(op.username, Role(op.role), op.id, op.office_id)


def _panel(qtbot, desk: DeskContext, actor: Actor, language: str, number: str) -> SearchPanel:
    """A search screen of ``actor`` showing the card's application, its card loaded."""
    panel = SearchPanel(DeskContext(ctx=desk.ctx, registers=desk.registers, language=language,
                                    actor=actor))  # fmt: skip
    qtbot.addWidget(panel)
    panel.show()
    panel.box.setText(number)
    panel.run_search()
    qtbot.waitUntil(lambda: panel.results_model.rowCount() == 1, timeout=WAIT)
    qtbot.waitUntil(panel.revoke_button.isEnabled, timeout=WAIT)
    return panel


def _revoke_through_dialog(qtbot, panel: SearchPanel, reason: str, note: str = "") -> None:
    qtbot.mouseClick(panel.revoke_button, LEFT)
    dialog = panel.revoke_dialog
    assert dialog is not None
    assert not dialog.ok.isEnabled()  # no reason chosen yet
    dialog.choose_reason(reason)
    if note:
        qtbot.keyClicks(dialog.note, note)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert panel.revoke_dialog is None


def test_a_supervisor_revokes_a_card_after_fer_revoked_the_permit(
    qtbot, ctx, console, desk, sandbox, tmp_path
):
    world = build_world(ctx, console)
    nid, number = _issued_card(ctx, world, desk, tmp_path)
    sandbox.fer.revoke(PERMIT)
    [flagged] = permits.recheck_cards(ctx, console, desk.registers.fer)
    assert (flagged.document_number, flagged.permit_status) == (number, "REVOKED")

    # The supervisor who approved the application may not revoke its card: said in words.
    approver = _panel(qtbot, desk, world.supervisor, "en", number)
    assert approver.card_label.text().startswith(f"Valid card {number}")
    _revoke_through_dialog(qtbot, approver, "permit_revoked")
    qtbot.waitUntil(lambda: "four-eyes" in approver.revoke_message.text(), timeout=WAIT)
    assert approver.revoke_message.text().startswith("You cannot revoke a card whose application")
    assert _card(ctx, number).status == "handed_over"

    # Another supervisor does; a second screen of theirs, opened before, still offers it.
    supervisor2 = _supervisor2(ctx, console)
    panel = _panel(qtbot, desk, supervisor2, "en", number)
    stale = _panel(qtbot, desk, supervisor2, "sq", number)
    _revoke_through_dialog(qtbot, panel, "permit_revoked", "FER 12/26")
    qtbot.waitUntil(lambda: "is revoked" in panel.revoke_message.text(), timeout=WAIT)
    assert panel.revoke_message.text() == (
        f"Card {number} is revoked (residence permit revoked at FER). The civil registry and "
        "FER are told."
    )
    qtbot.waitUntil(lambda: "not valid" in panel.card_label.text(), timeout=WAIT)
    assert panel.card_label.text() == f"Card {number}: not valid (revoked)"
    assert not panel.revoke_button.isEnabled()
    card = _card(ctx, number)
    assert (card.status, card.ended_reason, card.ended_note) == (
        "revoked", "permit_revoked", "FER 12/26",
    )  # fmt: skip

    assert _deliver(ctx, desk).alerted == 0
    assert sandbox.civil_registry.revocations()[(nid, number)]["reason"] == "PERMIT_REVOKED"
    assert sandbox.fer.card_revocations()[(PERMIT, number)]["reason"] == "PERMIT_REVOKED"
    with ctx.read() as uow:
        topics = uow.session.execute(
            select(OutboxMessage.topic, OutboxMessage.status).where(OutboxMessage.key == number)
        ).all()
        assert sorted(topics) == [(revocations.CIVIL_REGISTRY, "delivered"),
                                  (revocations.FER, "delivered")]  # fmt: skip
        assert uow.session.execute(select(Applicant.nid)).scalar_one() == nid

    # Revoking it twice: the service's sentence in the desk's language, nothing changed.
    _revoke_through_dialog(qtbot, stale, "fraud")
    qtbot.waitUntil(lambda: "revokuar tashmë" in stale.revoke_message.text(), timeout=WAIT)
    assert stale.revoke_message.text() == (
        f"Karta {number} është revokuar tashmë; asgjë nuk ndryshoi."
    )
    assert _card(ctx, number).ended_reason == "permit_revoked"
