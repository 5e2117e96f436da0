"""The supervisor's batch screen, driven through its widgets against the real services."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from issuance.db.models import Application, OutboxMessage
from issuance.delivery import civil_registry
from issuance.domain import numbering
from issuance.domain.workflow import State
from issuance.security.permissions import Actor, Role
from issuance.services import batches
from tests.support.world import build_world, enrol_complete
from ui.app import install_translator
from ui.supervisor import BatchHome

LEFT = Qt.MouseButton.LeftButton


def _open(qtbot, desk, actor, applications: int) -> BatchHome:
    desk.actor = actor
    home = BatchHome(desk)
    qtbot.addWidget(home)
    home.resize(1200, 800)
    home.show()
    qtbot.waitUntil(lambda: home.table_model.rowCount() == applications, timeout=10_000)
    return home


def _select(qtbot, home: BatchHome, application_id: int) -> None:
    row = home.table_model.row_of(application_id)
    home.table.selectRow(row)
    qtbot.waitUntil(lambda: home.detail.application_id == application_id, timeout=5_000)


def _application(ctx, application_id: int) -> Application:
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id)


def test_supervisor_approves_one_and_rejects_the_other(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    first = enrol_complete(ctx, world.clerk, coupon="PS-0001")
    second = enrol_complete(ctx, world.clerk, coupon="PS-0002")
    home = _open(qtbot, desk, world.supervisor, 2)

    assert home.batch_model.batches[0].submitted == 2
    _select(qtbot, home, first)
    # Names exactly as the register wrote them; the same permit twice is a possible duplicate.
    assert home.detail.fields["surname"].text() == "Çela"
    assert home.detail.fields["given_names"].text() == "Ëndrit Besnik"
    number_second = home.table_model.rows[home.table_model.row_of(second)].number
    assert f"Same permit number as application {number_second}" in home.detail.duplicates.text()
    # Pictures come from a worker: the photo, ten fingers and the signature.
    qtbot.waitUntil(lambda: not home.detail.photo.pixmap().isNull(), timeout=5_000)
    assert all(not cell.pixmap().isNull() for cell in home.detail.fingers.values())
    assert not home.detail.signature.pixmap().isNull()
    qtbot.waitUntil(lambda: home.table_model.thumbnail(first) is not None, timeout=5_000)

    qtbot.mouseClick(home.approve_button, LEFT)
    qtbot.waitUntil(lambda: _application(ctx, first).state == State.APPROVED, timeout=5_000)
    qtbot.waitUntil(lambda: "approved" in home.message.text(), timeout=5_000)
    with ctx.uow() as uow:
        topics = uow.session.execute(select(OutboxMessage.topic, OutboxMessage.key)).all()
    assert any(t == civil_registry.TOPIC and k.endswith(_application(ctx, first).number)
               for t, k in topics)  # fmt: skip

    # The screen moved on to the next undecided application.
    qtbot.waitUntil(lambda: home.detail.application_id == second, timeout=5_000)
    qtbot.mouseClick(home.reject_button, LEFT)
    dialog = home.reject_dialog
    assert dialog is not None
    confirm = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not confirm.isEnabled()  # no reason yet: the dialog says one is required
    assert "required" in dialog.question.text() and dialog.required.isVisible()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible() and home.reject_dialog is dialog
    assert _application(ctx, second).state == State.SUBMITTED
    # QTest cannot type "ë" as key events; insert() is what an input method commits.
    dialog.reason.insert("Fotografia nuk përputhet")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _application(ctx, second).state == State.REJECTED, timeout=5_000)
    assert _application(ctx, second).decision_reason == "Fotografia nuk përputhet"
    qtbot.waitUntil(
        lambda: (
            (home.batch_model.batches[0].approved, home.batch_model.batches[0].rejected) == (1, 1)
        ),
        timeout=5_000,
    )
    assert not home.approve_all_button.isEnabled()

    qtbot.mouseClick(home.manifest_button, LEFT)
    qtbot.waitUntil(lambda: home.manifest_path is not None, timeout=15_000)
    path = home.manifest_path
    assert path.parent == desk.settings.data_dir / "manifests"
    assert path.read_bytes().startswith(b"%PDF")
    assert home.open_manifest_button.isEnabled()


def test_own_enrolment_is_refused_with_the_four_eyes_message(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    # A supervisor who enrolled cannot exist by role, so prove the rule with the clerk's id.
    self_reviewer = Actor("clerk", Role.SUPERVISOR, world.clerk.operator_id, world.clerk.office_id)
    home = _open(qtbot, desk, self_reviewer, 1)
    _select(qtbot, home, application_id)
    qtbot.mouseClick(home.approve_button, LEFT)
    qtbot.waitUntil(lambda: "four-eyes" in home.message.text(), timeout=5_000)
    assert _application(ctx, application_id).state == State.SUBMITTED
    assert home.approve_button.isEnabled()


def _three_with_one_own(ctx, world) -> list[int]:
    return [
        enrol_complete(ctx, world.clerk2, coupon="PS-0001", permit_number="LQ0000001",
                       passport_number="P0000001"),
        enrol_complete(ctx, world.clerk, coupon="PS-0002", permit_number="LQ0000002",
                       passport_number="P0000002"),
        enrol_complete(ctx, world.clerk2, coupon="PS-0003", permit_number="LQ0000003",
                       passport_number="P0000003"),
    ]  # fmt: skip


def _confirm(qtbot, home: BatchHome, answer: QMessageBox.StandardButton) -> QMessageBox:
    qtbot.mouseClick(home.approve_all_button, LEFT)
    box = home.confirm_box
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(answer), LEFT)
    qtbot.waitUntil(lambda: home.confirm_box is None, timeout=5_000)
    return box


def test_approve_all_asks_then_approves_the_rest_in_one_call_and_reports_four_eyes(
    qtbot, ctx, console, desk, monkeypatch
):
    world = build_world(ctx, console)
    ids = _three_with_one_own(ctx, world)
    reviewer = Actor("clerk", Role.SUPERVISOR, world.clerk.operator_id, world.clerk.office_id)
    home = _open(qtbot, desk, reviewer, 3)
    calls = []
    approve_remaining = batches.approve_remaining
    monkeypatch.setattr(
        batches, "approve_remaining", lambda *a, **k: calls.append(a) or approve_remaining(*a, **k)
    )
    monkeypatch.setattr(batches, "approve", lambda *a, **k: pytest.fail("one by one"))

    # "No" changes nothing.
    qtbot.mouseClick(home.approve_all_button, LEFT)
    box = home.confirm_box
    assert box is not None
    assert "Approve all 3 undecided applications" in box.text()
    assert box.button(QMessageBox.StandardButton.Yes).text() == "&Yes"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), LEFT)
    qtbot.waitUntil(lambda: home.confirm_box is None, timeout=5_000)
    assert calls == [] and home.approve_all_button.isEnabled()
    assert [_application(ctx, i).state for i in ids] == [State.SUBMITTED] * 3

    _confirm(qtbot, home, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: "left undecided" in home.message.text(), timeout=10_000)
    assert len(calls) == 1  # one service call (one transaction) for the whole batch
    number = home.table_model.rows[home.table_model.row_of(ids[1])].number
    assert "2 applications approved; 1 left undecided" in home.message.text()
    assert f"{number}: " in home.message.text() and "four-eyes" in home.message.text()
    assert [_application(ctx, i).state for i in ids] == [
        State.APPROVED,
        State.SUBMITTED,
        State.APPROVED,
    ]
    # The rows are read back from the database, and the one left is selected for review.
    qtbot.waitUntil(lambda: not home._busy, timeout=5_000)
    assert [r.state for r in home.table_model.rows] == ["approved", "submitted", "approved"]
    qtbot.waitUntil(lambda: home.detail.application_id == ids[1], timeout=5_000)
    assert not home.progress.isVisible()
    assert home.approve_all_button.isEnabled()  # the own enrolment is still undecided
    qtbot.waitUntil(lambda: home.batch_model.batches[0].approved == 2, timeout=5_000)


def test_approve_all_that_fails_approves_nothing(qtbot, ctx, console, desk, monkeypatch):
    world = build_world(ctx, console)
    ids = _three_with_one_own(ctx, world)
    home = _open(qtbot, desk, world.supervisor, 3)
    real, calls = numbering.allocate_nid, []

    def allocate_nid(session, birth_date, sex, block=None):
        calls.append(1)
        if len(calls) == 3:
            raise numbering.NidSerialsExhausted(birth_date, 51)
        return real(session, birth_date, sex, block=block)

    monkeypatch.setattr(numbering, "allocate_nid", allocate_nid)
    _confirm(qtbot, home, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: "Nothing was approved" in home.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not home._busy, timeout=5_000)
    assert [_application(ctx, i).state for i in ids] == [State.SUBMITTED] * 3
    assert [r.state for r in home.table_model.rows] == ["submitted"] * 3
    assert home.approve_all_button.isEnabled() and not home.progress.isVisible()
    with ctx.uow() as uow:
        assert uow.session.execute(select(OutboxMessage.id).where(
            OutboxMessage.topic == civil_registry.TOPIC)).all() == []  # fmt: skip


def test_approve_all_asks_in_albanian(qtbot, qapp, ctx, console, desk):
    world = build_world(ctx, console)
    enrol_complete(ctx, world.clerk)
    translator = install_translator(qapp, "sq")
    assert translator is not None
    try:
        home = _open(qtbot, dataclasses.replace(desk, language="sq"), world.supervisor, 1)
        qtbot.mouseClick(home.approve_all_button, LEFT)
        box = home.confirm_box
        assert box is not None
        assert box.text().startswith("Të miratohet 1 aplikim i pavendosur")  # singular
        assert box.button(QMessageBox.StandardButton.Yes).text() == "&Po"
        assert box.button(QMessageBox.StandardButton.No).text() == "&Jo"
        qtbot.keyClick(box, Qt.Key.Key_Escape)  # Escape is "No"
        qtbot.waitUntil(lambda: home.confirm_box is None, timeout=5_000)
        assert "Duke miratuar" not in home.message.text()
    finally:
        qapp.removeTranslator(translator)


def test_approving_never_blocks_the_gui_thread(
    qtbot, ctx, console, desk, slow_registers, gui_watchdog
):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    gui_watchdog.start()  # measure the screen, not the test's own set-up (argon2, enrolment)
    home = _open(qtbot, desk, world.supervisor, 1)
    _select(qtbot, home, application_id)
    qtbot.mouseClick(home.approve_button, LEFT)
    qtbot.waitUntil(
        lambda: _application(ctx, application_id).state == State.APPROVED, timeout=5_000
    )
    qtbot.waitUntil(lambda: home.batch_model.batches[0].approved == 1, timeout=5_000)
    assert gui_watchdog.gui_thread_calls == []
    assert gui_watchdog.longest_ms < 100, gui_watchdog.longest_ms


def test_a_dozen_rows_fit_and_the_manifest_says_when_it_is_out_of_date(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    ids = [
        enrol_complete(ctx, world.clerk, coupon=f"PS-{n:04d}", permit_number=f"LQ{n:07d}",
                       passport_number=f"P{n:07d}")
        for n in range(1, 13)
    ]  # fmt: skip
    home = _open(qtbot, desk, world.supervisor, 12)
    # Compact rows: at 1200×800, eight or more in view above the detail pane (were three).
    table = home.table
    qtbot.waitUntil(lambda: table.viewport().height() > 0, timeout=5_000)
    visible = table.viewport().height() // table.rowHeight(0)
    assert visible >= 8, (visible, table.rowHeight(0), table.viewport().height())

    qtbot.mouseClick(home.manifest_button, LEFT)
    qtbot.waitUntil(lambda: home.manifest_path is not None, timeout=15_000)
    assert home.manifest_label.property("stale") is False
    assert "out of date" not in home.manifest_label.text()
    # No PDF viewer on this machine (offscreen): the desk shows the manifest itself.
    qtbot.mouseClick(home.open_manifest_button, LEFT)
    assert home.pdf_window is not None and home.pdf_window.isVisible()
    assert home.pdf_window.document.pageCount() >= 1
    home.pdf_window.close()

    _select(qtbot, home, ids[0])
    qtbot.mouseClick(home.approve_button, LEFT)
    qtbot.waitUntil(lambda: _application(ctx, ids[0]).state == State.APPROVED, timeout=10_000)
    qtbot.waitUntil(lambda: home.manifest_label.property("stale") is True, timeout=5_000)
    assert "out of date" in home.manifest_label.text()

    first = home.manifest_path
    qtbot.mouseClick(home.manifest_button, LEFT)
    qtbot.waitUntil(lambda: home.manifest_label.property("stale") is False, timeout=15_000)
    assert home.manifest_path == first and "out of date" not in home.manifest_label.text()
