"""The clerk's "submitted today" list names each application's state and, for a rejected one,
the supervisor's reason (issue 15, item 5)."""

from __future__ import annotations

from issuance.services import batches
from tests.support.world import build_world, enrol_complete
from tests.ui.enrolment_steps import WAIT
from ui.context import DeskContext
from ui.enrolment import EnrolmentHome


def test_submitted_today_shows_state_and_rejection_reason(qtbot, desk, ctx, console):
    world = build_world(ctx, console)
    kept = enrol_complete(ctx, world.clerk, coupon="PS-0001")
    rejected = enrol_complete(ctx, world.clerk, coupon="PS-0002", permit_number="RP20240002")
    batches.reject(ctx, world.supervisor, rejected, "The photo shows a hat.")
    for language, submitted, refused in (("en", "submitted", "rejected"),
                                          ("sq", "e dorëzuar", "e refuzuar")):  # fmt: skip
        clerk_desk = DeskContext(
            ctx=ctx, registers=desk.registers, language=language, actor=world.clerk
        )
        home = EnrolmentHome(clerk_desk)
        qtbot.addWidget(home)
        model = home.submissions_model
        qtbot.waitUntil(lambda model=model: model.rowCount() == 2, timeout=WAIT)
        by_id = {row.application_id: n for n, row in enumerate(model.rows)}
        assert model.columnCount() == 6

        def cell(app_id: int, column: int, model=model, by_id=by_id) -> str:
            return model.data(model.index(by_id[app_id], column))

        assert cell(kept, 4) == submitted and cell(kept, 5) == ""
        assert cell(rejected, 4) == refused
        assert cell(rejected, 5) == "The photo shows a hat."
