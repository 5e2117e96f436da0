"""The card operator's station, driven through its widgets against the real services and the
real devices: cupsd with a cups-pdf queue, pcscd with the project's virtual card."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from devices.card_printer import open_card_printer
from devices.factory import Backend
from devtools.virtual_card import PassportApplet, VpcdCard
from devtools.virtual_card.simulated import AppletReader, applet_station
from issuance.db.models import Application, Card
from issuance.domain.workflow import State
from issuance.ports.devices import DeviceKind
from issuance.queries.cards import SpoiledCard
from issuance.security import passwords
from issuance.security.keys import FileKeyStore, init_keys
from issuance.security.permissions import Actor
from issuance.services import applications, cards
from tests.issuance.services.cards.conftest import approved, produced_on_the_simulated_station
from tests.support.cups import cups_server, queue_state
from tests.support.pcsc import (
    READER,
    SPARE_READER,
    blank_card,
    card_in_reader,
    pcscd,
    port_of,
    session_card,
)
from tests.support.world import World, build_world
from ui.card_station import CardStationHome
from ui.card_station.models import SpoiledModel

# Fixtures of the real devices, shared with tests/cards (see tests/support).
__all__ = ["blank_card", "cups_server", "pcscd", "queue_state", "session_card"]

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def world(ctx, console, monkeypatch) -> World:
    # The five operators' argon2 hashes are not what these tests are about.
    monkeypatch.setattr(
        passwords, "hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    return build_world(ctx, console)


def _station(qtbot, desk, world: World, *, keys: bool = True, **devices: str) -> None:
    """Point the desk at the given devices, as the card operator, with the demo keys (the
    desk's DS and the CSCA certificate; the CSCA itself made next to the keys folder)."""
    desk.ctx.settings = replace(desk.settings, **devices)
    desk.actor = world.card_operator
    if keys:
        init_keys(desk.settings.keys_dir)


def _open(qtbot, desk, waiting: int) -> CardStationHome:
    home = CardStationHome(desk)
    qtbot.addWidget(home)
    home.resize(1200, 800)
    home.show()
    qtbot.waitUntil(lambda: home.queue_model.rowCount() == waiting, timeout=10_000)
    return home


def _cards(ctx, application_id: int) -> list[tuple[str, str, str | None]]:
    with ctx.uow() as uow:
        return [
            (c.document_number, c.status, c.spoiled_reason)
            for c in uow.session.execute(
                select(Card).where(Card.application_id == application_id).order_by(Card.id)
            ).scalars()
        ]


def _state(ctx, application_id: int) -> str:
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).state


def test_a_card_is_produced_on_cups_and_pcscd_without_blocking_the_gui(
    qtbot, ctx, desk, world, queue_state, blank_card, gui_watchdog
):
    application_id, nid = approved(ctx, world)
    _station(qtbot, desk, world, card_printer=f"cups:{queue_state.queue}",
             card_reader=f"pcsc:{READER}")  # fmt: skip
    gui_watchdog.start()  # measure the screen, not the set-up (argon2, enrolment, keys)
    home = _open(qtbot, desk, 1)
    assert home.queue_model.rows[0].nid == nid
    assert not home.keys_banner.isVisible()
    percents: list[int] = []
    home.card_progress.valueChanged.connect(percents.append)

    qtbot.mouseClick(home.produce_button, LEFT)
    # The click returned while the devices work: nothing else can be started meanwhile.
    assert not home.produce_button.isEnabled() and not home.produce_all_button.isEnabled()
    qtbot.waitUntil(lambda: home.producing is None, timeout=30_000)
    qtbot.waitUntil(lambda: home.queue_model.rowCount() == 0, timeout=10_000)

    [(number, status, _)] = _cards(ctx, application_id)
    assert status == "produced" and _state(ctx, application_id) == State.CARD_PRODUCED
    assert f"Card {number} produced and verified" in home.message.text()
    assert home.spoiled_model.rowCount() == 0
    # The bar followed the service's steps: print, encode, write the files, verify, done.
    assert percents == sorted(percents) and percents[-1] == 100
    assert {10, 30, 75, 85} <= set(percents) and len(percents) >= 7
    # The face went through cupsd and the chip through pcscd.
    printed = queue_state.output_of(home.last_produced.print_outcome.job_id)
    assert printed.read_bytes().startswith(b"%PDF")
    printed.unlink()
    assert blank_card.applet.locked
    assert gui_watchdog.gui_thread_calls == []
    assert gui_watchdog.longest_ms < 100


def test_a_card_pulled_mid_way_is_listed_as_spoiled_and_reprinted(qtbot, ctx, desk, world, pcscd):
    application_id, _ = approved(ctx, world)
    _station(qtbot, desk, world, card_reader=f"pcsc:{SPARE_READER}")  # the folder printer
    home = _open(qtbot, desk, 1)

    # Six APDUs check the card blank, six more start writing it: then it is pulled.
    pulled = VpcdCard(PassportApplet(), port=port_of(SPARE_READER), disconnect_after_apdus=12)
    with card_in_reader(pulled, SPARE_READER):
        qtbot.mouseClick(home.produce_button, LEFT)
        qtbot.waitUntil(lambda: home.spoiled_model.rowCount() == 1, timeout=30_000)
    assert pulled.removed.is_set()
    [(spoiled_number, status, reason)] = _cards(ctx, application_id)
    # The reason in words (the kind of failure is in the audit trail, not in the list).
    assert status == "spoiled" and reason.startswith("The card was removed or stopped answering")

    spoiled = home.spoiled_model
    assert spoiled.index(0, 0).data() == spoiled_number
    assert spoiled.index(0, 3).data() == reason
    assert f"Card {spoiled_number} was recorded as spoiled" in home.message.text()
    assert "Use the next blank" in home.message.text()
    # The application waits for the next blank, and says a reprint is due.
    assert _state(ctx, application_id) == State.APPROVED
    assert [r.application_id for r in home.queue_model.rows] == [application_id]
    assert home.queue_model.index(0, home.queue_model.PROGRESS_COLUMN).data() == (
        "Reprint (1 spoiled)"
    )

    fresh_card = VpcdCard(PassportApplet(), port=port_of(SPARE_READER))
    with card_in_reader(fresh_card, SPARE_READER) as fresh:
        home.spoiled.selectRow(0)
        assert home.reprint_button.isEnabled()
        qtbot.mouseClick(home.reprint_button, LEFT)
        qtbot.waitUntil(lambda: home.queue_model.rowCount() == 0, timeout=30_000)
        assert fresh.applet.locked
    statuses = [(n, s) for n, s, _ in _cards(ctx, application_id)]
    assert statuses[0] == (spoiled_number, "spoiled") and statuses[1][1] == "produced"
    assert f"Card {statuses[1][0]} produced" in home.message.text()
    assert not home.reprint_button.isEnabled()  # nothing left to reprint for


def test_produce_all_fills_the_queue_bar(qtbot, ctx, desk, world):
    first, _ = approved(ctx, world)
    second, _ = approved(ctx, world, coupon="PS-0002", permit_number="LQ7654321",
                         passport_number="P0000002")  # fmt: skip
    _station(qtbot, desk, world, card_reader="sim")  # the in-process card: no pcscd needed
    home = _open(qtbot, desk, 2)
    queue_values: list[int] = []
    home.queue_progress.valueChanged.connect(queue_values.append)
    home.produce_all_button.setFocus()
    qtbot.keyClick(home, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # the mnemonic
    qtbot.waitUntil(lambda: home.queue_model.rowCount() == 0 and home.producing is None,
                    timeout=30_000)  # fmt: skip
    assert queue_values[-1] == 2 and home.queue_progress.maximum() == 2
    assert home.queue_progress.isVisible()
    assert [s for _, s, _ in _cards(ctx, first)] == ["produced"]
    assert [s for _, s, _ in _cards(ctx, second)] == ["produced"]


def test_missing_keys_are_named_and_no_number_is_drawn(qtbot, ctx, desk, world):
    application_id, _ = approved(ctx, world)
    _station(qtbot, desk, world, keys=False, card_reader="sim")
    home = _open(qtbot, desk, 1)
    qtbot.waitUntil(home.keys_banner.isVisible, timeout=5_000)
    assert "issuance keys init" in home.keys_banner.text()
    qtbot.mouseClick(home.produce_button, LEFT)
    qtbot.waitUntil(lambda: "signing keys are missing" in home.message.text(), timeout=10_000)
    assert _cards(ctx, application_id) == [] and _state(ctx, application_id) == State.APPROVED
    assert home.produce_button.isEnabled()


def test_handover_refuses_the_wrong_card_and_accepts_the_right_one(qtbot, ctx, desk, world):
    application_id, _ = approved(ctx, world)
    _station(qtbot, desk, world, card_reader="sim")
    produced = produced_on_the_simulated_station(ctx, world, application_id, desk.settings)
    applications.transition(ctx, Actor.system("test"), application_id, State.REGISTERED)

    home = _open(qtbot, desk, 0)
    qtbot.waitUntil(lambda: home.handover_model.rowCount() == 1, timeout=10_000)
    assert home.handover_model.rows[0].application_id == application_id
    # The list never shows the document number: it has to come from the card in hand.
    shown = [home.handover_model.index(0, c).data() for c in range(5)]
    assert produced.document_number not in shown
    home.handover.selectRow(0)

    qtbot.keyClicks(home.confirmation, "TR9999999")
    qtbot.keyClick(home.confirmation, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "does not match" in home.message.text(), timeout=10_000)
    assert _cards(ctx, application_id)[0][1] == "produced"
    assert home.confirmation.selectedText() == "TR9999999"  # the next scan replaces it

    qtbot.keyClicks(home.confirmation, produced.document_number.lower())
    qtbot.keyClick(home.confirmation, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: home.handover_model.rowCount() == 0, timeout=10_000)
    assert _cards(ctx, application_id)[0][1] == "handed_over"
    assert _state(ctx, application_id) == State.HANDED_OVER
    assert f"Card {produced.document_number} handed over" in home.message.text()


def _spoil_through_the_dialog(qtbot, home, reason: str) -> None:
    qtbot.mouseClick(home.spoil_button, LEFT)
    qtbot.waitUntil(lambda: home.spoil_dialog is not None and home.spoil_dialog.isVisible(),
                    timeout=5_000)  # fmt: skip
    dialog = home.spoil_dialog
    dialog.reason.setCurrentIndex(0)
    dialog.reason.lineEdit().clear()
    qtbot.keyClicks(dialog.reason.lineEdit(), reason)
    qtbot.mouseClick(dialog.findChild(QPushButton, "spoil-confirm"), LEFT)


def test_a_blank_left_in_production_is_recorded_as_spoiled_and_the_card_made_again(
    qtbot, ctx, desk, world
):
    application_id, _ = approved(ctx, world)
    _station(qtbot, desk, world, card_reader="sim")
    blank = cards._reserve(ctx, world.card_operator, application_id)  # the desk died here
    home = _open(qtbot, desk, 1)
    home.queue.selectRow(0)
    assert home.queue_model.index(0, home.queue_model.PROGRESS_COLUMN).data() == (
        f"Blank {blank.document_number} left in production"
    )
    assert home.spoil_button.isEnabled()

    # No reason: the service says why, nothing changes.
    _spoil_through_the_dialog(qtbot, home, "   ")
    qtbot.waitUntil(lambda: "Please give a reason" in home.message.text(), timeout=10_000)
    assert _cards(ctx, application_id) == [(blank.document_number, "in_production", None)]

    _spoil_through_the_dialog(qtbot, home, "Printer jammed, card bent")
    qtbot.waitUntil(lambda: home.spoiled_model.rowCount() == 1, timeout=10_000)
    assert _cards(ctx, application_id) == [
        (blank.document_number, "spoiled", "Printer jammed, card bent")
    ]
    assert home.spoiled_model.index(0, 3).data() == "Printer jammed, card bent"
    assert f"Card {blank.document_number} recorded as spoiled" in home.message.text()
    # The application waits for a new blank, and the button has nothing left to record.
    qtbot.waitUntil(lambda: home.queue_model.index(0, home.queue_model.PROGRESS_COLUMN).data()
                    == "Reprint (1 spoiled)", timeout=10_000)  # fmt: skip
    assert _state(ctx, application_id) == State.APPROVED and not home.spoil_button.isEnabled()

    qtbot.mouseClick(home.produce_button, LEFT)
    qtbot.waitUntil(lambda: home.queue_model.rowCount() == 0 and home.producing is None,
                    timeout=30_000)  # fmt: skip
    assert [s for _, s, _ in _cards(ctx, application_id)] == ["spoiled", "produced"]


def test_the_spoiled_list_speaks_the_desks_language(qtbot):
    row = SpoiledCard(
        card_id=1, document_number="TR0000001", application_id=1, application_number="A-1",
        surname="Çela", given_names="Ëndrit", at=None, still_waiting=True,
        reason="The card is not blank: it is already personalised or locked (6982).",
        reason_sq="Karta nuk është bosh: është personalizuar ose kyçur tashmë.",
    )  # fmt: skip
    for language, words in (("sq", row.reason_sq), ("en", row.reason)):
        model = SpoiledModel(language=language)
        model.set_rows([row])
        assert model.index(0, 3).data() == words


def test_a_permit_revoked_at_fer_stops_production(qtbot, ctx, desk, world, sandbox):
    application_id, _ = approved(ctx, world)
    _station(qtbot, desk, world, card_reader="sim")
    sandbox.fer.revoke("LQ1234567")
    home = _open(qtbot, desk, 1)
    qtbot.mouseClick(home.produce_button, LEFT)
    qtbot.waitUntil(lambda: "was revoked at FER" in home.message.text(), timeout=10_000)
    assert _cards(ctx, application_id) == [] and _state(ctx, application_id) == State.APPROVED


def test_a_renewal_card_handed_over_voids_the_old_card_handed_in(qtbot, ctx, desk, world,
                                                                 clock):  # fmt: skip
    first, _ = approved(ctx, world)
    _station(qtbot, desk, world, card_reader="sim")
    old = produced_on_the_simulated_station(ctx, world, first, desk.settings)
    applications.transition(ctx, Actor.system("test"), first, State.REGISTERED)
    cards.hand_over(ctx, world.card_operator, first, old.document_number)
    clock.advance(days=800)  # the first card expired with its permit; the permit was renewed
    second, _ = approved(ctx, world, coupon="PS-0002", permit_number="LQ7654321",
                         valid_until=date(2031, 1, 1))  # fmt: skip
    new = produced_on_the_simulated_station(ctx, world, second, desk.settings)
    applications.transition(ctx, Actor.system("test"), second, State.REGISTERED)

    home = _open(qtbot, desk, 0)
    qtbot.waitUntil(lambda: home.handover_model.rowCount() == 1, timeout=10_000)
    home.handover.selectRow(0)
    home.old_card_handed_in.setChecked(True)
    qtbot.keyClicks(home.confirmation, new.document_number)
    qtbot.keyClick(home.confirmation, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: home.handover_model.rowCount() == 0, timeout=10_000)
    assert _cards(ctx, first) == [(old.document_number, "void", None)]
    assert _cards(ctx, second)[0][1] == "handed_over"
    assert not home.old_card_handed_in.isChecked()


def test_a_misprinted_card_scanned_at_the_handover_is_spoiled_and_queued_again(
    qtbot, ctx, desk, world
):
    application_id, _ = approved(ctx, world)
    _station(qtbot, desk, world, card_reader="sim")
    produced = produced_on_the_simulated_station(ctx, world, application_id, desk.settings)
    applications.transition(ctx, Actor.system("test"), application_id, State.REGISTERED)
    home = _open(qtbot, desk, 0)
    qtbot.waitUntil(lambda: home.handover_model.rowCount() == 1, timeout=10_000)
    home.handover.selectRow(0)
    qtbot.keyClicks(home.confirmation, produced.document_number)
    qtbot.mouseClick(home.spoil_scanned_button, LEFT)
    qtbot.waitUntil(lambda: home.spoil_dialog is not None and home.spoil_dialog.isVisible(),
                    timeout=5_000)  # fmt: skip
    dialog = home.spoil_dialog
    dialog.reason.setCurrentIndex(2)  # "Misprinted card face"
    assert dialog.text() == "Misprinted card face"
    qtbot.mouseClick(dialog.findChild(QPushButton, "spoil-confirm"), LEFT)
    qtbot.waitUntil(lambda: home.spoiled_model.rowCount() == 1 and home.queue_model.rowCount() == 1,
                    timeout=10_000)  # fmt: skip
    assert _cards(ctx, application_id) == [
        (produced.document_number, "spoiled", "Misprinted card face")
    ]
    assert _state(ctx, application_id) == State.APPROVED
    assert home.handover_model.rowCount() == 0 and home.confirmation.text() == ""


def _held_card_reader(ctx, applet: PassportApplet) -> None:
    """The desk's reader ("held") holds this very card: the in-process applet."""
    ctx.devices.register(
        DeviceKind.CARD_READER, "held", Backend(lambda _rest, **_options: AppletReader(applet))
    )


def test_handover_shows_the_enrolment_photo_and_the_photo_read_from_the_chip(
    qtbot, ctx, desk, world
):
    application_id, _ = approved(ctx, world)
    _station(qtbot, desk, world, card_reader="held")
    card = PassportApplet()
    keys = FileKeyStore.load(desk.settings.keys_dir)
    printer = open_card_printer(desk.settings.card_printer_spec)
    try:
        cards.produce_card(
            ctx, world.card_operator, application_id, printer=printer,
            station=applet_station(card), signer=keys.signer, csca=keys.csca_certificate,
        )  # fmt: skip
    finally:
        printer.close()
    applications.transition(ctx, Actor.system("test"), application_id, State.REGISTERED)
    _held_card_reader(ctx, card)

    home = _open(qtbot, desk, 0)
    qtbot.waitUntil(lambda: home.handover_model.rowCount() == 1, timeout=10_000)
    home.handover.selectRow(0)
    # The photo stored at enrolment, beside the document number field, for the person in front.
    qtbot.waitUntil(lambda: home.enrolment_photo.pixmap() is not None
                    and not home.enrolment_photo.pixmap().isNull(), timeout=10_000)  # fmt: skip
    assert home.enrolment_photo.isVisible()
    assert home.chip_photo.pixmap() is None or home.chip_photo.pixmap().isNull()

    # The card in the reader: its chip's photo (DG2, read through BAC) next to it.
    assert home.read_chip_button.isEnabled()
    qtbot.mouseClick(home.read_chip_button, LEFT)
    qtbot.waitUntil(lambda: home.chip_photo.pixmap() is not None
                    and not home.chip_photo.pixmap().isNull(), timeout=10_000)  # fmt: skip
    assert home.chip_photo.isVisible() and home.read_chip_button.isEnabled()


def test_a_card_of_someone_else_in_the_reader_shows_no_chip_photo(qtbot, ctx, desk, world):
    application_id, _ = approved(ctx, world)
    _station(qtbot, desk, world, card_reader="sim")  # a blank card: it opens for nobody
    produced_on_the_simulated_station(ctx, world, application_id, desk.settings)
    applications.transition(ctx, Actor.system("test"), application_id, State.REGISTERED)
    home = _open(qtbot, desk, 0)
    qtbot.waitUntil(lambda: home.handover_model.rowCount() == 1, timeout=10_000)
    home.handover.selectRow(0)
    home.message.clear()
    qtbot.mouseClick(home.read_chip_button, LEFT)
    qtbot.waitUntil(lambda: home.message.text() != "" and home.read_chip_button.isEnabled(),
                    timeout=10_000)  # fmt: skip
    assert "does not open with this card's data" in home.message.text()
    assert home.chip_photo.pixmap() is None or home.chip_photo.pixmap().isNull()
    assert home.read_chip_button.isEnabled()


def test_a_used_card_in_the_reader_is_refused_before_printing(qtbot, ctx, desk, world, tmp_path):
    application_id, _ = approved(ctx, world)
    printed = tmp_path / "used-printed"
    _station(qtbot, desk, world, card_reader="held", card_printer=f"folder:{printed}")
    used = PassportApplet()
    used.process(bytes.fromhex("00A4040007A0000002471001"))
    used.process(bytes.fromhex("00E0000006630400100101"))  # a file already written
    _held_card_reader(ctx, used)
    home = _open(qtbot, desk, 1)
    qtbot.mouseClick(home.produce_button, LEFT)
    qtbot.waitUntil(lambda: "The card is not blank" in home.message.text(), timeout=10_000)
    assert home.producing is None and home.produce_button.isEnabled()
    assert _cards(ctx, application_id) == [] and _state(ctx, application_id) == State.APPROVED
    assert not printed.exists() or list(printed.iterdir()) == []
