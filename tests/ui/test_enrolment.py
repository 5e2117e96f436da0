"""The clerk's enrolment screens, driven through the widgets against the stand-in registers,
a file camera playing a portrait and the SBI fingerprint simulator."""

from __future__ import annotations

import pyotp
from PySide6.QtCore import Qt

from issuance.biometrics.fingerprints import ExceptionKind
from issuance.ports.fingerprint_model import Finger
from issuance.services import enrolment
from tests.conftest import raw_rows
from tests.support.world import PASSWORD, SUPERVISOR_SECRET, fake_jpeg
from tests.support.world import permit as world_permit
from tests.ui.enrolment_steps import (
    WAIT,
    coupon_and_permit,
    desk_for_clerk,
    draw_signature,
    open_wizard,
    press_enter,
)
from ui.enrolment import EnrolmentHome, EnrolmentWizard


def test_complete_enrolment_through_the_widgets(
    qtbot, desk, ctx, console, portrait_frames, tmp_path, always_close
):
    clerk_desk = desk_for_clerk(desk, console, portrait_frames)
    home = EnrolmentHome(clerk_desk)
    qtbot.addWidget(home)
    wizard = open_wizard(qtbot, home)
    coupon_and_permit(qtbot, ctx, wizard, refused_first=True)
    assert "Çela, Ëndrit" in wizard.header.text()

    # Photo: the fake camera's portrait passes every check and is taken automatically.
    photo = wizard.page("photo")
    qtbot.waitUntil(photo.is_complete, timeout=30_000)
    assert photo.last_evaluation is not None and photo.last_evaluation.acceptable
    assert not photo.preview.pixmap().isNull() and not photo.result.pixmap().isNull()
    assert photo.checks.count() == 0
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current_step == "fingerprints", timeout=WAIT)

    # Fingerprints: the left little finger is amputated; three slaps from the simulator.
    fingers = wizard.page("fingerprints")
    qtbot.waitUntil(fingers.capture_button.isEnabled, timeout=WAIT)
    fingers.exception_finger.setCurrentIndex(fingers.exception_finger.findData(Finger.LEFT_LITTLE))
    fingers.exception_kind.setCurrentIndex(fingers.exception_kind.findData(ExceptionKind.AMPUTATED))
    qtbot.keyClicks(fingers.exception_reason, "lost in an accident")
    qtbot.mouseClick(fingers.mark_button, Qt.MouseButton.LeftButton)
    assert fingers.boxes[Finger.LEFT_LITTLE].property("state") == "exception"
    for _ in range(3):
        qtbot.waitUntil(fingers.capture_button.isEnabled, timeout=WAIT)
        qtbot.mouseClick(fingers.capture_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not fingers._capturing, timeout=WAIT)
        if fingers.enrolment.complete:
            break
    qtbot.waitUntil(fingers.is_complete, timeout=WAIT)
    states = {f: box.property("state") for f, box in fingers.boxes.items()}
    assert list(states.values()).count("accepted") == 9
    assert "\n" in fingers.boxes[Finger.RIGHT_INDEX].text()  # the quality is shown
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current_step == "signature", timeout=WAIT)

    # Signature drawn with the mouse; undo and draw again.
    signature = wizard.page("signature")
    assert not wizard.next_button.isEnabled()
    draw_signature(qtbot, signature.area)
    assert len(signature.canvas.strokes) == 1 and len(signature.canvas.strokes[0]) >= 6
    qtbot.mouseClick(signature.undo_button, Qt.MouseButton.LeftButton)
    assert signature.canvas.is_empty and not wizard.next_button.isEnabled()
    draw_signature(qtbot, signature.area)
    assert wizard.next_button.isEnabled()
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current_step == "documents", timeout=WAIT)

    # Documents: a text file is refused in words, a PDF is attached.
    documents = wizard.page("documents")
    note = tmp_path / "note.txt"
    note.write_text("not a pdf")
    documents.attach_file(note)
    qtbot.waitUntil(lambda: "Only PDF" in documents.message.text(), timeout=WAIT)
    # A huge file is refused by its size, before the desk reads it.
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as sparse:
        sparse.truncate(2 * 1024**3)
    documents.attach_file(huge)
    qtbot.waitUntil(lambda: "at most 5" in documents.message.text(), timeout=WAIT)
    assert "'huge.pdf'" in documents.message.text() and documents.files.count() == 0
    scan = tmp_path / "contract.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    documents.attach_file(scan)
    qtbot.waitUntil(lambda: documents.files.count() == 1, timeout=WAIT)
    # A scan attached by mistake is removed before submission.
    wrong = tmp_path / "wrong-person.pdf"
    wrong.write_bytes(scan.read_bytes())
    documents.attach_file(wrong)
    qtbot.waitUntil(lambda: documents.files.count() == 2, timeout=WAIT)
    assert not documents.remove_button.isEnabled()  # nothing chosen yet
    documents.files.setCurrentRow(1)
    qtbot.mouseClick(documents.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: documents.files.count() == 1, timeout=WAIT)
    assert documents.files.item(0).text() == "contract.pdf"
    assert "wrong-person.pdf is removed" in documents.message.text()
    assert raw_rows(ctx, "SELECT filename FROM uploaded_documents") == [("contract.pdf",)]
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current_step == "review", timeout=WAIT)

    review = wizard.page("review")
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=WAIT)
    assert review.values["surname"].text() == "Çela"
    assert review.values["given_names"].text() == "Ëndrit"
    assert review.values["fingers"].text().startswith("9 captured")
    assert "left little finger: amputated — lost in an accident" in review.values["fingers"].text()
    assert not review.photo.pixmap().isNull() and not review.signature.pixmap().isNull()
    assert review.values["documents"].text() == "contract.pdf"
    review.privacy_accepted.setChecked(True)
    qtbot.mouseClick(review.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.receipt_path is not None, timeout=30_000)

    receipt = review.receipt_path
    assert receipt == clerk_desk.settings.data_dir / "receipts" / f"{wizard.number}.pdf"
    assert receipt.read_bytes().startswith(b"%PDF")
    assert str(receipt) in review.receipt.text() and review.open_button.isEnabled()
    # ...and printed at once on the desk's receipt printer (the default folder printer here).
    qtbot.waitUntil(lambda: "Receipt printed" in review.printed.text(), timeout=WAIT)
    printed = review.print_outcome.output
    assert printed.parent == clerk_desk.settings.data_dir / "printed-receipts"
    assert printed.read_bytes() == receipt.read_bytes() and review.print_button.isEnabled()
    assert raw_rows(ctx, "SELECT state, submitted_at IS NOT NULL FROM applications") == [
        ("submitted", True)
    ]
    assert raw_rows(ctx, "SELECT code, status FROM coupons") == [("PSH10000001", "consumed")]
    captures = raw_rows(
        ctx, "SELECT kind, position, data_sealed IS NOT NULL, exception_reason "
        "FROM biometric_captures ORDER BY kind, position",
    )  # fmt: skip
    assert [(k, p) for k, p, _, _ in captures if k == "face"] == [
        ("face", "face"),
        ("face", "face_chip"),
    ]
    fingers_rows = [c for c in captures if c[0] == "finger"]
    assert len(fingers_rows) == 10
    assert [c for c in fingers_rows if not c[2]] == [
        ("finger", "left_little", False, "amputated: lost in an accident")
    ]
    assert raw_rows(ctx, "SELECT cannot_sign, image_sealed IS NOT NULL FROM signatures") == [
        (False, True)
    ]
    assert raw_rows(ctx, "SELECT filename FROM uploaded_documents") == [("contract.pdf",)]
    assert raw_rows(ctx, "SELECT mobile FROM applicants")[0][0].endswith("691234567")

    # Home: the submission is listed, the draft list is empty; Finish closes the wizard.
    qtbot.waitUntil(lambda: home.submissions_model.rowCount() == 1, timeout=WAIT)
    assert home.drafts_model.rowCount() == 0
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: home.wizard is None, timeout=WAIT)


def test_closed_draft_resumes_at_the_photo_step(
    qtbot, desk, ctx, console, empty_frames, always_close
):
    clerk_desk = desk_for_clerk(desk, console, empty_frames)
    home = EnrolmentHome(clerk_desk)
    qtbot.addWidget(home)
    wizard = open_wizard(qtbot, home)
    coupon_and_permit(qtbot, ctx, wizard, refused_first=False)
    photo = wizard.page("photo")
    # Nobody sits in front of the camera: the failing check is named, no photo is taken.
    qtbot.waitUntil(lambda: photo.checks.count() > 0, timeout=WAIT)
    texts = [photo.checks.item(i).text() for i in range(photo.checks.count())]
    assert "No face found." in texts
    assert not wizard.next_button.isEnabled()

    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # asks (answered yes), keeps the draft
    qtbot.waitUntil(lambda: home.wizard is None, timeout=WAIT)
    qtbot.waitUntil(lambda: home.drafts_model.rowCount() == 1, timeout=WAIT)
    row = home.drafts_model.rows[0]
    assert row.step == "photo" and row.applicant == "Çela, Ëndrit"
    assert home.drafts_model.data(home.drafts_model.index(0, 4)) == "Photo"

    home.drafts.setFocus()
    home.drafts.setCurrentIndex(home.drafts_model.index(0, 0))
    press_enter(qtbot, home.drafts)
    qtbot.waitUntil(lambda: home.wizard is not None, timeout=WAIT)
    resumed = home.wizard
    qtbot.waitUntil(lambda: resumed.current_step == "photo", timeout=WAIT)
    assert resumed.application_id == row.application_id
    assert "Çela, Ëndrit" in resumed.header.text()
    assert resumed.page("coupon").is_complete()
    assert resumed.page("coupon").code.text() == "PSH10000001"
    permit = resumed.page("permit")
    assert permit.fields["surname"].text() == "Çela"
    assert permit.fields["given_names"].text() == "Ëndrit"
    assert permit.mobile.text().endswith("691234567")
    # Back to the permit step shows it done; the draft notes were saved step by step.
    qtbot.mouseClick(resumed.back_button, Qt.MouseButton.LeftButton)
    assert resumed.current_step == "permit" and resumed.next_button.isEnabled()
    draft = raw_rows(ctx, "SELECT draft FROM applications")[0][0]
    assert "coupon" in str(draft) and "permit" in str(draft)
    resumed.close()
    qtbot.waitUntil(lambda: home.wizard is None, timeout=WAIT)


def test_coupon_and_permit_never_block_the_gui_thread(
    qtbot, desk, ctx, console, slow_registers, gui_watchdog, empty_frames, always_close
):
    clerk_desk = desk_for_clerk(desk, console, empty_frames)
    home = EnrolmentHome(clerk_desk)
    qtbot.addWidget(home)
    wizard = open_wizard(qtbot, home)
    gui_watchdog.start()  # measured from here: building the windows is not the step under test
    coupon_and_permit(qtbot, ctx, wizard, refused_first=True)
    assert gui_watchdog.gui_thread_calls == []
    assert gui_watchdog.longest_ms < 100, gui_watchdog.longest_ms
    wizard.close()
    qtbot.waitUntil(lambda: home.wizard is None, timeout=WAIT)


def test_weak_finger_needs_a_supervisor_who_signs_in(
    qtbot, desk, ctx, console, clock, empty_frames, always_close
):
    clerk_desk = desk_for_clerk(desk, console, empty_frames)
    clerk = clerk_desk.actor
    # A draft that has its coupon, permit and photo: the wizard resumes at the fingerprints.
    application = enrolment.start_draft(ctx, clerk)
    enrolment.record_coupon(ctx, clerk, application.id, code="PSH10000002", amount_lek=6000,
                            card_type="STANDARD")  # fmt: skip
    enrolment.link_permit(ctx, clerk, application.id, world_permit())
    enrolment.store_capture(ctx, clerk, application.id, kind="face", position="face",
                            image=fake_jpeg(), image_format="jpeg", quality=90)  # fmt: skip
    wizard = EnrolmentWizard(clerk_desk, application.id)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.current_step == "fingerprints", timeout=WAIT)
    fingers = wizard.page("fingerprints")
    qtbot.waitUntil(fingers.capture_button.isEnabled, timeout=WAIT)
    fingers.session.scanner.simulator.configure(low_quality=["Right IndexFinger"])
    for _ in range(8):
        if not fingers.enrolment.next_step():
            break
        qtbot.waitUntil(fingers.capture_button.isEnabled, timeout=WAIT)
        qtbot.mouseClick(fingers.capture_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not fingers._capturing, timeout=WAIT)
    assert fingers.boxes[Finger.RIGHT_INDEX].property("state") == "low"
    assert "supervisor override" in fingers.status.text()
    assert fingers.override_button.isEnabled() and not wizard.next_button.isEnabled()

    qtbot.mouseClick(fingers.override_button, Qt.MouseButton.LeftButton)
    dialog = fingers.supervisor_dialog
    # A clerk cannot approve their own weak finger.
    dialog.username.setText("clerk2")
    dialog.password.setText(PASSWORD)
    dialog.reason.setText("worn ridges")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "not allowed" in dialog.message.text().lower()
                    or "permission" in dialog.message.text().lower(), timeout=WAIT)  # fmt: skip
    assert not wizard.next_button.isEnabled()
    dialog.username.setText("supervisor")
    dialog.password.setText(PASSWORD)
    dialog.code.setText(pyotp.TOTP(SUPERVISOR_SECRET).at(clock.now))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=WAIT)
    assert fingers.boxes[Finger.RIGHT_INDEX].property("state") == "override"
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current_step == "signature", timeout=WAIT)
    overridden = raw_rows(
        ctx, "SELECT b.position, o.username FROM biometric_captures b "
        "JOIN operators o ON o.id = b.override_by_id",
    )  # fmt: skip
    assert overridden == [("right_index", "supervisor")]
    wizard.close()
