"""Driving the clerk's enrolment wizard through its widgets, step by step (shared by the
enrolment tests and the whole-journey test)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import raw_rows
from tests.support.world import build_world
from ui.context import DeskContext
from ui.enrolment import EnrolmentHome, EnrolmentWizard

WAIT = 15_000


def desk_for_clerk(desk: DeskContext, console, camera: str) -> DeskContext:
    world = build_world(desk.ctx, console)
    settings = dataclasses.replace(
        desk.ctx.settings, camera=camera, fingerprint_scanner="simulator"
    )
    ctx = dataclasses.replace(desk.ctx, settings=settings)
    return DeskContext(ctx=ctx, registers=desk.registers, language="en", actor=world.clerk)


def open_wizard(qtbot, home: EnrolmentHome) -> EnrolmentWizard:
    home.show()
    home.activateWindow()
    # Offscreen, activation may lag (a previous test's window): the shortcut needs it.
    home.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is home, timeout=WAIT)
    qtbot.keyClick(home, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: home.wizard is not None, timeout=WAIT)
    wizard = home.wizard
    assert wizard is not None
    qtbot.waitExposed(wizard)
    return wizard


def press_enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def coupon_and_permit(qtbot, ctx, wizard: EnrolmentWizard, refused_first: bool) -> None:
    coupon = wizard.page("coupon")
    if refused_first:
        qtbot.keyClicks(coupon.code, "PSH40000001")
        press_enter(qtbot, coupon.code)
        qtbot.waitUntil(lambda: "not been paid" in coupon.verdict.text(), timeout=WAIT)
        # Refused: nothing is reserved, the wizard stays, Next stays off.
        assert wizard.current_step == "coupon"
        assert not wizard.next_button.isEnabled()
        assert raw_rows(ctx, "SELECT state FROM applications") == []  # no number either
        assert raw_rows(ctx, "SELECT code FROM coupons") == []
        coupon.code.clear()
    qtbot.keyClicks(coupon.code, "psh10000001")
    press_enter(qtbot, coupon.code)
    qtbot.waitUntil(lambda: "is valid" in coupon.verdict.text(), timeout=WAIT)
    assert "6000 lek" in coupon.verdict.text()
    press_enter(qtbot, coupon.code)  # Enter goes on
    qtbot.waitUntil(lambda: wizard.current_step == "permit", timeout=WAIT)

    permit = wizard.page("permit")
    qtbot.keyClicks(permit.permit_number, "RP20240001")
    press_enter(qtbot, permit.permit_number)
    qtbot.waitUntil(lambda: permit.is_complete(), timeout=WAIT)
    assert permit.fields["surname"].text() == "Çela"
    assert permit.fields["given_names"].text() == "Ëndrit"
    assert permit.fields["surname"].isReadOnly()
    qtbot.keyClicks(permit.mobile, "0691234567")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current_step == "photo", timeout=WAIT)


def draw_signature(qtbot, area) -> None:
    qtbot.mousePress(area, Qt.MouseButton.LeftButton, pos=QPoint(40, 120))
    for x, y in ((80, 60), (120, 140), (160, 70), (200, 130), (260, 90)):
        qtbot.mouseMove(area, QPoint(x, y))
    qtbot.mouseRelease(area, Qt.MouseButton.LeftButton, pos=QPoint(300, 100))
