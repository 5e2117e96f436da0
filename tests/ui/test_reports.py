"""The office's report on the desk, driven through the widgets against the real services: the
numbers table, the charts' bars, the PDF and CSV exports, and a clerk's refusal in words
(issue 17, item 1)."""

from __future__ import annotations

import csv
import io

import pdfplumber
from PySide6.QtCharts import QHorizontalBarSeries
from PySide6.QtCore import Qt

from issuance.domain.workflow import STATE_NAMES, State
from issuance.services import batches, enrolment
from tests.support.world import build_world, enrol_complete
from tests.ui.test_every_window_named import check_screen
from ui.home import HomeWindow
from ui.supervisor.reports import ReportPanel

LEFT = Qt.MouseButton.LeftButton
WAIT = 15_000


def _bars(chart) -> dict[str, float]:
    [series] = chart.series()
    assert isinstance(series, QHorizontalBarSeries)
    [bars] = series.barSets()
    categories = chart.axes(Qt.Orientation.Vertical)[0].categories()
    return {category: bars.at(n) for n, category in enumerate(categories)}


def _day(ctx, console, clock):
    """Today (the test's clock): two submitted, one of them approved, one draft discarded."""
    world = build_world(ctx, console)
    first = enrol_complete(ctx, world.clerk, coupon="PS-0001")
    enrol_complete(ctx, world.clerk, coupon="PS-0002", permit_number="LQ0000002",
                   passport_number="P0000002")  # fmt: skip
    draft = enrolment.start_draft(ctx, world.clerk)
    enrolment.discard_draft(ctx, world.clerk, draft.id, "wrong person")
    clock.advance(minutes=20)
    batches.approve(ctx, world.supervisor, first)
    return world


def _open(qtbot, desk, actor) -> ReportPanel:
    desk.actor = actor
    panel = ReportPanel(desk)
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    return panel


def test_the_supervisor_sees_the_days_numbers_and_charts_and_exports_them(
    qtbot, ctx, console, clock, desk, tmp_path
):
    world = _day(ctx, console, clock)
    panel = _open(qtbot, desk, world.supervisor)
    qtbot.waitUntil(lambda: panel.report is not None, timeout=WAIT)
    assert [panel.office.itemData(n) for n in range(panel.office.count())] == ["TR"]
    assert panel.title.text() == "Office TR · DRKM Tiranë · 23.11.2026"
    values = {row.key: row.value for row in panel.model.rows}
    assert values["coupons_consumed"] == "2" and values["applications_approved"] == "1"
    assert values["applications_cancelled"] == "1" and values["approval_max"] == "0 h 20 min"
    row = next(n for n, m in enumerate(panel.model.rows) if m.key == "coupons_consumed")
    assert [panel.model.index(row, c).data() for c in range(3)] == ["Coupons", "consumed", "2"]
    check_screen(panel, "en", "report")  # no code shown raw, no Alt+letter used twice

    states = _bars(panel.states_chart)
    assert states[STATE_NAMES[State.SUBMITTED][1]] == 1
    assert states[STATE_NAMES[State.APPROVED][1]] == 1
    assert states[STATE_NAMES[State.CANCELLED][1]] == 1
    assert sum(states.values()) == 3
    cards = _bars(panel.cards_chart)
    assert list(cards) == ["Produced", "Spoiled", "Voided", "Superseded", "Revoked",
                           "Handed over"]  # fmt: skip
    assert set(cards.values()) == {0}

    pdf, table = tmp_path / "day.pdf", tmp_path / "day.csv"
    panel.export("pdf", pdf)
    qtbot.waitUntil(lambda: "saved" in panel.message.text(), timeout=WAIT)
    assert panel.message.text() == f"The report was saved to {pdf}."
    with pdfplumber.open(pdf) as opened:
        assert "të dorëzuara submitted 2" in opened.pages[0].extract_text()
    panel.export("csv", table)
    qtbot.waitUntil(lambda: str(table) in panel.message.text(), timeout=WAIT)
    rows = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["key", "section", "measure", "value"]
    # The discarded draft held no coupon: none was released.
    assert ["coupons_released", "Coupons", "released", "0"] in rows

    # Another day: the numbers follow the pickers.
    panel.first_day.setDate(panel.first_day.date().addDays(1))
    assert panel.last_day.date() == panel.first_day.date()  # the period never ends before
    qtbot.mouseClick(panel.show_button, LEFT)
    qtbot.waitUntil(lambda: panel.title.text().endswith("24.11.2026"), timeout=WAIT)
    assert {row.key: row.value for row in panel.model.rows}["coupons_consumed"] == "0"


def test_the_export_dialog_writes_where_the_operator_chose(qtbot, ctx, console, clock, desk,
                                                          tmp_path):  # fmt: skip
    world = _day(ctx, console, clock)
    panel = _open(qtbot, desk, world.administrator)
    qtbot.waitUntil(lambda: panel.report is not None, timeout=WAIT)
    qtbot.mouseClick(panel.csv_button, LEFT)
    dialog = panel.save_dialog
    assert dialog is not None and dialog.isVisible()
    chosen = tmp_path / "chosen.csv"
    dialog.selectFile(str(chosen))
    dialog.accept()
    qtbot.waitUntil(chosen.exists, timeout=WAIT)
    qtbot.waitUntil(lambda: "saved" in panel.message.text(), timeout=WAIT)
    assert chosen.read_bytes().startswith(b"\xef\xbb\xbf")
    # An unwritable place: said in words, nothing half-written.
    missing = tmp_path / "no-such-folder" / "x.pdf"
    panel.export("pdf", missing)
    qtbot.waitUntil(lambda: "saved" not in panel.message.text(), timeout=WAIT)
    assert panel.message.text() and "Error" not in panel.message.text()
    assert not missing.exists()


def test_a_clerk_is_refused_in_words_and_sees_no_report_tab(qtbot, ctx, console, clock, desk):
    world = _day(ctx, console, clock)
    panel = _open(qtbot, desk, world.clerk)
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=WAIT)
    assert panel.message.text() == (
        "The role 'clerk' is not allowed to see the office's reports. "
        "Who can: supervisor, administrator."
    )
    assert panel.office.count() == 0 and panel.model.rowCount() == 0
    assert not panel.pdf_button.isEnabled() and not panel.csv_button.isEnabled()
    for actor, shown in ((world.clerk, False), (world.supervisor, True)):
        desk.actor = actor
        home = HomeWindow(desk)
        qtbot.addWidget(home)
        screens = [home.tabs.widget(n) for n in range(home.tabs.count())]
        reports = [s for s in screens if isinstance(s, ReportPanel)]
        assert bool(reports) is shown
        if reports:
            assert home.tabs.tabText(screens.index(reports[0])) == "Reports"
            qtbot.waitUntil(lambda r=reports[0]: r.report is not None, timeout=WAIT)
        qtbot.wait(300)  # the other screens' first loads come back before the window goes
