"""The enrolment wizard by keyboard alone: every key goes to the widget that has the focus, as a
clerk's keyboard would send it (the SBI simulator scans, a file camera plays a portrait)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from issuance.ports.fingerprint_model import Finger
from tests.conftest import raw_rows
from tests.ui.enrolment_steps import WAIT, coupon_and_permit, desk_for_clerk, open_wizard
from ui.enrolment import EnrolmentHome, EnrolmentWizard


def _focus(qtbot, wizard: EnrolmentWizard) -> QWidget:
    """The widget a key would reach: the focus of the wizard, the active window."""
    if QApplication.activeWindow() is not wizard:
        wizard.activateWindow()
        wizard.windowHandle().requestActivate()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=WAIT)
    widget = QApplication.focusWidget()
    assert widget is not None and widget.window() is wizard
    return widget


def _key(qtbot, wizard: EnrolmentWizard, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(_focus(qtbot, wizard), key, modifier)


def _type(qtbot, wizard: EnrolmentWizard, text: str) -> None:
    qtbot.keyClicks(_focus(qtbot, wizard), text)


def _captures(fingers) -> int:
    return sum(1 for state, _ in fingers._shown.values() if state != "exception")


def test_fingerprints_and_review_by_keyboard_alone(
    qtbot, desk, ctx, console, portrait_frames, always_close
):
    clerk_desk = desk_for_clerk(desk, console, portrait_frames)
    home = EnrolmentHome(clerk_desk)
    qtbot.addWidget(home)
    wizard = open_wizard(qtbot, home)
    coupon_and_permit(qtbot, ctx, wizard, refused_first=False)

    # Photo: taken by itself; Enter goes on.
    photo = wizard.page("photo")
    qtbot.waitUntil(photo.is_complete, timeout=30_000)
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=WAIT)
    _key(qtbot, wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.current_step == "fingerprints", timeout=WAIT)

    # Fingerprints: the page opens with Capture in hand.
    fingers = wizard.page("fingerprints")
    qtbot.waitUntil(fingers.capture_button.isEnabled, timeout=WAIT)
    qtbot.waitUntil(lambda: _focus(qtbot, wizard) is fingers.capture_button, timeout=WAIT)
    assert not wizard.next_button.isEnabled()

    # Enter in the exception's reason marks the exception and captures nothing: the field
    # keeps its own Enter. Tab past Capture to the finger, the kind and the reason.
    _key(qtbot, wizard, Qt.Key.Key_Tab)
    assert _focus(qtbot, wizard) is fingers.exception_finger
    _key(qtbot, wizard, Qt.Key.Key_End)  # the last finger listed: the left little finger
    assert fingers.exception_finger.currentData() is Finger.LEFT_LITTLE
    _key(qtbot, wizard, Qt.Key.Key_Tab)
    _key(qtbot, wizard, Qt.Key.Key_Down)  # missing -> amputated
    _key(qtbot, wizard, Qt.Key.Key_Tab)
    assert _focus(qtbot, wizard) is fingers.exception_reason
    _type(qtbot, wizard, "lost in an accident")
    _key(qtbot, wizard, Qt.Key.Key_Return)
    assert fingers.boxes[Finger.LEFT_LITTLE].property("state") == "exception"
    assert _captures(fingers) == 0 and not fingers._capturing
    for _ in range(3):  # back to Capture
        _key(qtbot, wizard, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert _focus(qtbot, wizard) is fingers.capture_button

    # Enter captures, placement after placement; the focus comes back to Capture each time.
    for placement in range(3):
        qtbot.waitUntil(fingers.capture_button.isEnabled, timeout=WAIT)
        assert _focus(qtbot, wizard) is fingers.capture_button, placement
        _key(qtbot, wizard, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not fingers._capturing and _captures(fingers) > 0, timeout=WAIT)
        if fingers.enrolment.complete:
            break
    qtbot.waitUntil(fingers.is_complete, timeout=WAIT)
    assert _captures(fingers) == 9
    # Done: Enter goes on to the signature.
    qtbot.waitUntil(lambda: _focus(qtbot, wizard) is wizard.next_button, timeout=WAIT)
    _key(qtbot, wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.current_step == "signature", timeout=WAIT)

    # Signature: Tab to "cannot sign", Space ticks it, the reason typed, Enter goes on.
    signature = wizard.page("signature")
    for _ in range(12):
        if _focus(qtbot, wizard) is signature.cannot_sign:
            break
        _key(qtbot, wizard, Qt.Key.Key_Tab)
    assert _focus(qtbot, wizard) is signature.cannot_sign
    _key(qtbot, wizard, Qt.Key.Key_Space)
    qtbot.waitUntil(signature.cannot_sign.isChecked, timeout=WAIT)
    assert _focus(qtbot, wizard) is signature.reason
    _type(qtbot, wizard, "injured right hand")
    _key(qtbot, wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.current_step == "documents", timeout=WAIT)
    _key(qtbot, wizard, Qt.Key.Key_Return)  # no documents: Enter goes on
    qtbot.waitUntil(lambda: wizard.current_step == "review", timeout=WAIT)

    # Review: Next waits for the receipt, so Enter submits.
    review = wizard.page("review")
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=WAIT)
    assert not wizard.next_button.isEnabled()
    assert _focus(qtbot, wizard) is review.submit_button
    # Not before the applicant accepted the privacy notice: Enter says so and goes to the box,
    # Space ticks it, and Enter on the submit button (Tab) submits.
    _key(qtbot, wizard, Qt.Key.Key_Return)
    assert "privacy notice" in review.message.text()
    assert _focus(qtbot, wizard) is review.privacy_accepted
    _key(qtbot, wizard, Qt.Key.Key_Space)
    assert review.privacy_accepted.isChecked()
    _key(qtbot, wizard, Qt.Key.Key_Tab)
    assert _focus(qtbot, wizard) is review.submit_button
    _key(qtbot, wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: review.receipt_path is not None, timeout=30_000)
    assert raw_rows(ctx, "SELECT state FROM applications") == [("submitted",)]
    assert raw_rows(
        ctx, "SELECT exception_reason FROM biometric_captures WHERE exception_reason IS NOT NULL"
    ) == [("amputated: lost in an accident",)]
    assert raw_rows(ctx, "SELECT cannot_sign FROM signatures") == [(True,)]
    # ...and one more Enter finishes: the wizard closes.
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=WAIT)
    _key(qtbot, wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: home.wizard is None, timeout=WAIT)
