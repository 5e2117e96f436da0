"""The review step shows the privacy notice with a box the clerk ticks once the applicant has
read and accepted it: without the tick the wizard does not submit (and says why); with it the
acceptance is recorded (version, time, clerk) and the application submitted. In English and,
with the compiled catalogue, in Albanian."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from issuance.db.models import Application
from issuance.domain import privacy_notice
from issuance.domain.workflow import State
from tests.support.world import build_world, enrol_captured
from ui.app import install_translator
from ui.context import DeskContext
from ui.enrolment import EnrolmentWizard

WAIT = 15_000
LEFT = Qt.MouseButton.LeftButton


def _application(ctx, application_id) -> Application:
    with ctx.read() as uow:
        return uow.session.get(Application, application_id)


def _review(qtbot, desk, language: str, actor, application_id):
    clerk_desk = DeskContext(ctx=desk.ctx, registers=desk.registers, language=language,
                             actor=actor)  # fmt: skip
    wizard = EnrolmentWizard(clerk_desk, application_id)
    # Closed without the "close the application?" question, even when a check fails.
    qtbot.addWidget(wizard, before_close_func=EnrolmentWizard.close_keeping_draft)
    wizard.show()
    review = wizard.page("review")
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=WAIT)
    return wizard, review


def test_the_wizard_does_not_submit_until_the_notice_is_accepted(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    application_id = enrol_captured(ctx, world.clerk)
    wizard, review = _review(qtbot, desk, "en", world.clerk, application_id)

    assert review.privacy.isVisibleTo(wizard)
    assert review.privacy_text.text() == privacy_notice.notice_text("en")
    assert review.privacy_accepted.text() == (
        "The applicant has read and &accepted the privacy notice"
    )
    assert not review.privacy_accepted.isChecked()

    qtbot.mouseClick(review.submit_button, LEFT)
    number = _application(ctx, application_id).number
    assert review.message.text() == (
        f"Application {number} cannot be submitted: the applicant must read and accept the "
        "privacy notice. Record their acceptance, then submit again."
    )
    assert review.receipt_path is None and review.submit_button.isEnabled()
    application = _application(ctx, application_id)
    assert application.state == State.BIOMETRICS_CAPTURED
    assert application.privacy_notice_acknowledged_at is None

    box = review.privacy_accepted  # a click on its tick box
    qtbot.mouseClick(box, LEFT, pos=QPoint(6, box.height() // 2))
    assert review.privacy_accepted.isChecked()
    qtbot.mouseClick(review.submit_button, LEFT)
    qtbot.waitUntil(lambda: review.receipt_path is not None, timeout=30_000)
    application = _application(ctx, application_id)
    assert application.state == State.SUBMITTED
    assert application.privacy_notice_version == privacy_notice.VERSION
    assert application.privacy_notice_acknowledged_by == world.clerk.username
    assert application.privacy_notice_acknowledged_at is not None
    assert not review.privacy_accepted.isEnabled()  # submitted: nothing left to accept
    wizard.close_keeping_draft()


@pytest.fixture
def albanian(qapp):
    translator = install_translator(qapp, "sq")
    assert translator is not None, "the compiled Albanian catalogue is missing"
    yield
    qapp.removeTranslator(translator)


def test_the_albanian_desk_shows_the_notice_and_the_box_in_albanian(
    qtbot, ctx, console, desk, albanian
):
    world = build_world(ctx, console)
    application_id = enrol_captured(ctx, world.clerk)
    wizard, review = _review(qtbot, desk, "sq", world.clerk, application_id)
    assert review.privacy_text.text() == privacy_notice.notice_text("sq")
    assert review.privacy.title() == "Njoftimi i privatësisë"
    assert review.privacy_accepted.text() == (
        "Aplikanti e ka lexuar dhe e ka pr&anuar njoftimin e privatësisë"
    )
    qtbot.mouseClick(review.submit_button, LEFT)
    assert "duhet të lexojë dhe të pranojë njoftimin e privatësisë" in review.message.text()
    assert _application(ctx, application_id).state == State.BIOMETRICS_CAPTURED
    wizard.close_keeping_draft()
