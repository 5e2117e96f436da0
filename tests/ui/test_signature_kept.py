"""Closing the wizard on the signature step keeps the strokes; resuming the draft shows them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from issuance.services import enrolment, signature_drafts
from issuance.services.enrolment import FINGER_POSITIONS
from tests.support.world import fake_jpeg, fake_png, permit
from tests.ui.enrolment_steps import WAIT, desk_for_clerk, draw_signature, press_enter
from ui.enrolment import EnrolmentHome


def _draft_before_signature(ctx, clerk) -> int:
    draft = enrolment.start_draft(ctx, clerk)
    enrolment.record_coupon(ctx, clerk, draft.id, code="PS-0001", amount_lek=6000,
                            card_type="STANDARD")  # fmt: skip
    enrolment.link_permit(ctx, clerk, draft.id, permit())
    enrolment.store_capture(ctx, clerk, draft.id, kind="face", position="face",
                            image=fake_jpeg(), image_format="jpeg", quality=90,
                            for_chip=True)  # fmt: skip
    for position in FINGER_POSITIONS:
        enrolment.store_capture(ctx, clerk, draft.id, kind="finger", position=position,
                                image=fake_png(), image_format="png", quality=70)  # fmt: skip
    return draft.id


def _resume(qtbot, home: EnrolmentHome):
    qtbot.waitUntil(lambda: home.drafts_model.rowCount() == 1, timeout=WAIT)
    home.drafts.setFocus()
    home.drafts.setCurrentIndex(home.drafts_model.index(0, 0))
    press_enter(qtbot, home.drafts)
    qtbot.waitUntil(lambda: home.wizard is not None, timeout=WAIT)
    wizard = home.wizard
    qtbot.waitUntil(lambda: wizard.current_step == "signature", timeout=WAIT)
    return wizard


def test_strokes_survive_closing_the_wizard(qtbot, ctx, console, desk, empty_frames,
                                            always_close):  # fmt: skip
    clerk_desk = desk_for_clerk(desk, console, empty_frames)
    application_id = _draft_before_signature(clerk_desk.ctx, clerk_desk.actor)
    home = EnrolmentHome(clerk_desk)
    qtbot.addWidget(home)
    home.show()
    wizard = _resume(qtbot, home)
    page = wizard.page("signature")
    draw_signature(qtbot, page.area)
    drawn = page.canvas.strokes
    assert drawn and wizard.next_button.isEnabled()

    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # asks (answered yes), keeps the draft
    qtbot.waitUntil(lambda: home.wizard is None, timeout=WAIT)
    qtbot.waitUntil(
        lambda: len(signature_drafts.kept(ctx, clerk_desk.actor, application_id)) == len(drawn),
        timeout=WAIT,
    )

    resumed = _resume(qtbot, home)
    page = resumed.page("signature")
    qtbot.waitUntil(lambda: len(page.canvas.strokes) == len(drawn), timeout=WAIT)
    assert [[(p.x, p.y) for p in s] for s in page.canvas.strokes] == [
        [(p.x, p.y) for p in s] for s in drawn
    ]
    assert "is back" in page.status.text()
    assert resumed.next_button.isEnabled()
    resumed.close()
    qtbot.waitUntil(lambda: home.wizard is None, timeout=WAIT)
