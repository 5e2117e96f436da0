"""One resident from coupon to card, through the desk's own windows: a clerk enrols through
the wizard (file camera, SBI simulator, stand-in registers), a supervisor approves in a second
logged-in window, a card operator produces the card through cupsd/cups-pdf and pcscd with the
virtual card, the outbox delivers to the civil registry, which confirms, and the card is handed
over. Each step is checked in the database and in what the windows show."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from sqlalchemy import select

from issuance.db.models import Applicant, Application, Card
from issuance.delivery import outbox
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import State
from issuance.security.keys import init_keys
from tests.support.cups import cups_server, queue_state
from tests.support.pcsc import READER, blank_card, pcscd, session_card
from tests.support.world import World, build_world
from tests.ui.enrolment_steps import WAIT, coupon_and_permit, draw_signature
from ui.context import DeskContext
from ui.home import HomeWindow

# Fixtures of the real devices, shared with tests/cards (see tests/support).
__all__ = ["blank_card", "cups_server", "pcscd", "queue_state", "session_card"]

LEFT = Qt.MouseButton.LeftButton


def _window(qtbot, desk: DeskContext) -> HomeWindow:
    home = HomeWindow(desk)
    qtbot.addWidget(home)
    home.show()
    qtbot.waitExposed(home)
    return home


def _application(ctx) -> tuple[Application, Applicant]:
    with ctx.uow() as uow:
        return uow.session.execute(
            select(Application, Applicant).join(Applicant, Application.applicant_id == Applicant.id)
        ).one()


def _enrol(qtbot, ctx, clerk_desk: DeskContext) -> HomeWindow:
    home = _window(qtbot, clerk_desk)
    enrolment = home.tabs.widget(0)
    qtbot.mouseClick(enrolment.new_button, LEFT)
    qtbot.waitUntil(lambda: enrolment.wizard is not None, timeout=WAIT)
    wizard = enrolment.wizard
    coupon_and_permit(qtbot, ctx, wizard, refused_first=False)

    photo = wizard.page("photo")
    qtbot.waitUntil(photo.is_complete, timeout=30_000)  # taken automatically once all checks pass
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.current_step == "fingerprints", timeout=WAIT)

    fingers = wizard.page("fingerprints")
    for _ in range(6):  # three slaps, and a retry if the simulator gives a weak finger
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
    qtbot.mouseClick(wizard.next_button, LEFT)  # no scans: the documents are optional
    qtbot.waitUntil(lambda: wizard.current_step == "review", timeout=WAIT)

    review = wizard.page("review")
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=WAIT)
    review.privacy_accepted.setChecked(True)
    qtbot.mouseClick(review.submit_button, LEFT)
    qtbot.waitUntil(lambda: review.receipt_path is not None, timeout=30_000)
    qtbot.mouseClick(wizard.next_button, LEFT)  # Finish
    qtbot.waitUntil(lambda: enrolment.wizard is None, timeout=WAIT)
    qtbot.waitUntil(lambda: enrolment.submissions_model.rowCount() == 1, timeout=WAIT)
    return home


def _approve(qtbot, ctx, supervisor_desk: DeskContext, application_id: int) -> HomeWindow:
    home = _window(qtbot, supervisor_desk)
    batches = home.tabs.widget(0)
    qtbot.waitUntil(lambda: batches.table_model.rowCount() == 1, timeout=WAIT)
    batches.table.selectRow(0)
    qtbot.waitUntil(lambda: batches.detail.application_id == application_id, timeout=WAIT)
    assert batches.detail.fields["surname"].text() == "Çela"
    qtbot.waitUntil(lambda: not batches.detail.photo.pixmap().isNull(), timeout=WAIT)
    qtbot.mouseClick(batches.approve_button, LEFT)
    qtbot.waitUntil(lambda: "approved" in batches.message.text(), timeout=WAIT)
    return home


def _produce(qtbot, station_desk: DeskContext, queue_state) -> tuple[HomeWindow, str]:
    home = _window(qtbot, station_desk)
    station = home.tabs.widget(0)
    qtbot.waitUntil(lambda: station.queue_model.rowCount() == 1, timeout=WAIT)
    station.queue.selectRow(0)
    qtbot.mouseClick(station.produce_button, LEFT)
    qtbot.waitUntil(lambda: station.producing is None, timeout=60_000)
    produced = station.last_produced
    assert produced is not None, station.message.text()
    assert "produced and verified" in station.message.text()
    printed = queue_state.output_of(produced.print_outcome.job_id)
    assert printed.read_bytes().startswith(b"%PDF")
    printed.unlink()
    return home, produced.document_number


def _deliver(ctx, registers) -> None:
    outbox.OutboxWorker(ctx, outbox_handlers(registers)).run_until_idle()


def test_one_resident_from_coupon_to_card_through_the_desk(
    qtbot, ctx, console, desk, portrait_frames, queue_state, blank_card, always_close
):
    world: World = build_world(ctx, console)
    settings = dataclasses.replace(
        ctx.settings, camera=portrait_frames, fingerprint_scanner="simulator",
        card_printer=f"cups:{queue_state.queue}", card_reader=f"pcsc:{READER}",
    )  # fmt: skip
    ctx.settings = settings
    init_keys(settings.keys_dir)
    registers = desk.registers

    def desk_for(actor) -> DeskContext:
        return DeskContext(ctx=ctx, registers=registers, language="en", actor=actor)

    # 1. The clerk's window: a complete enrolment through the wizard.
    clerk_home = _enrol(qtbot, ctx, desk_for(world.clerk))
    application, applicant = _application(ctx)
    assert application.state == State.SUBMITTED
    assert (applicant.surname, applicant.given_names) == ("Çela", "Ëndrit")

    # 2. A second logged-in window, the supervisor's, approves it (four eyes: not the clerk).
    supervisor_home = _approve(qtbot, ctx, desk_for(world.supervisor), application.id)
    application, applicant = _application(ctx)
    assert application.state == State.APPROVED and applicant.nid
    assert supervisor_home.tabs.widget(0).table_model.rows[0].state == State.APPROVED

    # 3. The card operator's window prints through cupsd and encodes the chip through pcscd.
    station_home, document_number = _produce(qtbot, desk_for(world.card_operator), queue_state)
    assert blank_card.applet.locked
    with ctx.uow() as uow:
        card = uow.session.execute(select(Card).where(Card.status == "produced")).scalar_one()
    assert card.document_number == document_number
    application, _ = _application(ctx)
    assert application.state == State.CARD_PRODUCED and application.registry_confirmed_at is None

    # 4. The outbox delivers: the civil registry creates the person, is read back and confirms.
    _deliver(ctx, registers)
    application, applicant = _application(ctx)
    assert application.state == State.REGISTERED and application.registry_confirmed_at
    person = registers.civil_registry.get_person(applicant.nid)
    assert (person.biographic.last_name, person.biographic.first_name) == ("Çela", "Ëndrit")

    # 5. The station lists the card as ready (e-Albania ready) and hands it over.
    station = station_home.tabs.widget(0)
    qtbot.mouseClick(station.refresh_button, LEFT)
    qtbot.waitUntil(lambda: station.handover_model.rowCount() == 1, timeout=WAIT)
    station.handover.selectRow(0)
    station.confirmation.setText(document_number)
    qtbot.mouseClick(station.hand_over_button, LEFT)
    qtbot.waitUntil(lambda: _application(ctx)[0].state == State.HANDED_OVER, timeout=WAIT)

    # 6. Search finds the resident by the new NID in every role; the supervisor may also read
    #    the application's history (a clerk may not).
    for home in (clerk_home, supervisor_home):
        search = home.tabs.widget(1)
        home.tabs.setCurrentWidget(search)
        search.box.setText(applicant.nid)
        search.run_search()
        qtbot.waitUntil(lambda s=search: s.results_model.rowCount() == 1, timeout=WAIT)
        assert search.results_model.texts[0][1:3] == ("Çela", "Ëndrit")
        assert search.results_model.texts[0][4] == "handed over"
    search.open_result(search.results_model.index(0, 0))
    qtbot.waitUntil(lambda: search.history_model.rowCount() > 5, timeout=WAIT)
    actions = {row[2] for row in search.history_model.texts}
    assert {"Application started", "State changed"} <= actions
