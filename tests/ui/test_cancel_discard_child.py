"""Issue 14 (4) and (8) at the desk, through the widgets, against the stand-ins: the coupon
comes before any application number and decides the card type; the clerk discards a draft; a
supervisor cancels a submitted application with a reason; a child of five passes the
fingerprint and signature steps and the supervisor sees why."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from issuance.db.models import Application
from issuance.delivery import outbox
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import State
from issuance.services import enrolment
from tests.conftest import raw_rows
from tests.issuance.documents.samples import photo_jpeg
from tests.support.world import build_world, enrol_complete
from tests.support.world import permit as world_permit
from tests.ui.enrolment_steps import WAIT, desk_for_clerk, open_wizard, press_enter
from ui.enrolment import EnrolmentHome, EnrolmentWizard
from ui.supervisor import BatchHome

LEFT = Qt.MouseButton.LeftButton


def _application(ctx, application_id: int) -> Application:
    with ctx.read() as uow:
        application = uow.session.get(Application, application_id)
        uow.session.expunge(application)
        return application


def _deliver(ctx, desk) -> outbox.RoundResult:
    return outbox.OutboxWorker(ctx, outbox_handlers(desk.registers)).run_until_idle()


def test_a_mistyped_coupon_leaves_nothing_and_an_urgent_one_opens_an_urgent_draft_that_is_discarded(
    qtbot, desk, ctx, console, sandbox, empty_frames, always_close
):
    clerk_desk = desk_for_clerk(desk, console, empty_frames)
    home = EnrolmentHome(clerk_desk)
    qtbot.addWidget(home)
    wizard = open_wizard(qtbot, home)
    coupon = wizard.page("coupon")
    assert coupon.card_type.text() == "—"  # no choice: the coupon decides

    qtbot.keyClicks(coupon.code, "PSH29999999")  # a typo
    press_enter(qtbot, coupon.code)
    qtbot.waitUntil(lambda: "does not exist" in coupon.verdict.text(), timeout=WAIT)
    assert wizard.application_id is None and wizard.number is None
    assert raw_rows(ctx, "SELECT id FROM applications") == []

    coupon.code.clear()
    qtbot.keyClicks(coupon.code, "PSH20000001")  # paid 9000 lek: URGENT
    press_enter(qtbot, coupon.code)
    qtbot.waitUntil(lambda: "is valid" in coupon.verdict.text(), timeout=WAIT)
    assert coupon.card_type.text() == "urgent"
    [(number, card_type, state)] = raw_rows(
        ctx, "SELECT number, card_type, state FROM applications"
    )
    assert (card_type, state) == ("URGENT", "coupon_verified")
    assert number in wizard.header.text()
    assert sandbox.vouchers.get("PSH20000001").application_id == number

    wizard.close()  # the draft is kept (asked, answered yes)
    qtbot.waitUntil(lambda: home.wizard is None, timeout=WAIT)
    qtbot.waitUntil(lambda: home.drafts_model.rowCount() == 1, timeout=WAIT)
    home.drafts.selectRow(0)
    qtbot.mouseClick(home.discard_button, LEFT)
    dialog = home.discard_dialog
    assert dialog is not None and number in dialog.windowTitle()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), LEFT)
    assert home.discard_dialog is None
    assert raw_rows(ctx, "SELECT state FROM applications") == [("coupon_verified",)]

    qtbot.mouseClick(home.discard_button, LEFT)
    dialog = home.discard_dialog
    qtbot.keyClicks(dialog.reason, "applicant left")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    qtbot.waitUntil(lambda: home.drafts_model.rowCount() == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: f"Draft {number} discarded" in home.message.text(), timeout=WAIT)
    assert "PSH20000001 is given back" in home.message.text()
    assert raw_rows(ctx, "SELECT state, decision_reason FROM applications") == [
        ("cancelled", "applicant left")
    ]
    assert _deliver(ctx, desk).alerted == 0
    assert sandbox.vouchers.get("PSH20000001").state == "AVAILABLE"


def test_a_supervisor_cancels_a_submitted_application_with_a_reason(
    qtbot, desk, ctx, console, sandbox
):
    world = build_world(ctx, console)
    application_id = enrol_complete(
        ctx, world.clerk, coupon="PSH10000005", vouchers=desk.registers.vouchers
    )
    desk.actor = world.supervisor
    home = BatchHome(desk)
    qtbot.addWidget(home)
    home.show()
    qtbot.waitUntil(lambda: home.table_model.rowCount() == 1, timeout=WAIT)
    home.table.selectRow(0)
    qtbot.waitUntil(lambda: home.detail.application_id == application_id, timeout=WAIT)
    assert home.cancel_button.isEnabled()

    qtbot.mouseClick(home.cancel_button, LEFT)
    dialog = home.cancel_dialog
    assert dialog is not None
    # The reason is mandatory and the dialog says so: blank (or only spaces), it cannot be
    # confirmed, by click or by Enter, and stays open.
    assert "required" in dialog.findChild(QLabel, "reason-required").text()
    confirm = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not confirm.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert not confirm.isEnabled() and dialog.isVisible() and home.cancel_dialog is dialog
    assert _application(ctx, application_id).state == State.SUBMITTED
    dialog.reason.clear()
    dialog.reason.insert("Aplikanti u tërhoq")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: _application(ctx, application_id).state == State.CANCELLED, timeout=WAIT
    )
    assert _application(ctx, application_id).decision_reason == "Aplikanti u tërhoq"
    qtbot.waitUntil(lambda: "cancelled" in home.message.text(), timeout=WAIT)
    assert "PSH10000005 is given back" in home.message.text()
    assert not home.cancel_button.isEnabled()  # cancelled: nothing more to cancel
    assert "Aplikanti u tërhoq" in home.detail.fields["state"].text()
    assert _deliver(ctx, desk).alerted == 0
    assert sandbox.vouchers.get("PSH10000005").state == "AVAILABLE"


def test_a_five_year_old_passes_fingers_and_signature_and_the_supervisor_sees_why(
    qtbot, desk, ctx, console, empty_frames, always_close
):
    clerk_desk = desk_for_clerk(desk, console, empty_frames)
    clerk = clerk_desk.actor
    draft = enrolment.start_draft(ctx, clerk)
    enrolment.record_coupon(ctx, clerk, draft.id, code="PSH10000006", amount_lek=6000,
                            card_type="STANDARD")  # fmt: skip
    enrolment.link_permit(ctx, clerk, draft.id, world_permit(birth_date=date(2021, 6, 1),
                                                             given_names="Ana"))  # fmt: skip
    enrolment.store_capture(ctx, clerk, draft.id, kind="face", position="face",
                            image=photo_jpeg(), image_format="jpeg", quality=90,
                            for_chip=True)  # fmt: skip

    wizard = EnrolmentWizard(clerk_desk, draft.id)
    qtbot.addWidget(wizard)
    wizard.show()
    # Photo taken: the next step is the documents, fingerprints and signature are passed.
    qtbot.waitUntil(lambda: wizard.current_step == "documents", timeout=WAIT)
    assert "not needed: child" in wizard.steps.item(3).text()
    assert "not needed: child" in wizard.steps.item(4).text()
    qtbot.mouseClick(wizard.back_button, LEFT)
    assert wizard.current_step == "photo"
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=WAIT)
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.current_step == "documents", timeout=WAIT)
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.current_step == "review", timeout=WAIT)
    review = wizard.review
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=WAIT)
    assert review.values["fingers"].text() == "none: child under 6"
    assert review.values["signature"].text() == "none: child under 6"
    review.privacy_accepted.setChecked(True)
    qtbot.mouseClick(review.submit_button, LEFT)
    qtbot.waitUntil(lambda: review.receipt_path is not None, timeout=30_000)
    assert _application(ctx, draft.id).state == State.SUBMITTED
    wizard.close()

    world_supervisor = desk_for_supervisor(ctx, clerk)
    desk.actor = world_supervisor
    home = BatchHome(desk)
    qtbot.addWidget(home)
    home.show()
    qtbot.waitUntil(lambda: home.table_model.rowCount() == 1, timeout=WAIT)
    home.table.selectRow(0)
    qtbot.waitUntil(lambda: home.detail.application_id == draft.id, timeout=WAIT)
    assert home.detail.child.isVisible()
    assert home.detail.child.text() == "No fingerprints or signature: child under 6."
    qtbot.waitUntil(lambda: home.detail.signature.text() != "Loading…", timeout=WAIT)
    assert home.detail.signature.text() == "Not asked: child under 6"
    assert home.detail.fingers["right_thumb"].text() == "Not taken (child)"


def desk_for_supervisor(ctx, clerk):
    """The supervisor of the clerk's office (built by ``desk_for_clerk``)."""
    from sqlalchemy import select

    from issuance.db.models import Operator
    from issuance.security.permissions import Actor, Role

    with ctx.read() as uow:
        supervisor = uow.session.execute(
            select(Operator).where(Operator.username == "supervisor")
        ).scalar_one()
        return Actor(supervisor.username, Role.SUPERVISOR, supervisor.id, supervisor.office_id)
