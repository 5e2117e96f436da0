"""The office's report on the desk (a supervisor's office, or any office for an administrator):
an office, a first and a last day; every number in a table, the applications by state and the
cards by outcome as bar charts (QtCharts); the same report exported as PDF or CSV.

The report is read and the files are written in a worker; the service decides who may see
which office's report, and its refusal is shown in words.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from issuance.documents.report import render_report_csv, render_report_pdf
from issuance.domain.workflow import STATE_NAMES
from issuance.queries import reports
from issuance.queries.reports import Measure, OfficeReport, ReportOffice
from issuance.wall_clock import local_time
from ui.context import DeskContext
from ui.tables import RowsModel, set_up_view
from ui.widgets import named


class MeasureModel(RowsModel[Measure]):
    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__((), parent)
        self._language = language
        self._headers = [self.tr("Section"), self.tr("Measure"), self.tr("Value")]

    def text(self, row: Measure, column: int) -> str:
        if column == 0:
            sq, en = reports.SECTIONS[row.section]
            return sq if self._language == "sq" else en
        if column == 1:
            return row.label(self._language)
        return row.value


def _bar_chart(title: str, name: str) -> tuple[QChartView, QChart]:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setVisible(False)
    view = named(QChartView(chart), name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view, chart


def _fill(chart: QChart, label: str, categories: list[str], values: list[int]) -> None:
    """One bar set: a bar per category."""
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    bars = QBarSet(label)
    for value in values:
        bars.append(value)
    # Horizontal bars: each category's name has the chart's height to itself, never "…".
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    chart.addSeries(series)
    names = QBarCategoryAxis()
    names.append(categories)
    small = QFont(names.labelsFont())
    small.setPointSizeF(max(6.0, small.pointSizeF() - 1))
    names.setLabelsFont(small)
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(names)
    # Whole numbers only: a tick every `step`, from 0 to the first step at or above the top.
    step = max(1, math.ceil(max([1, *values]) / 5))
    counts = QValueAxis()
    counts.setRange(0, step * math.ceil(max([1, *values]) / step))
    counts.setTickType(QValueAxis.TickType.TicksDynamic)
    counts.setTickAnchor(0)
    counts.setTickInterval(step)
    counts.setLabelFormat("%d")
    chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(counts)


def _day_of(picked: QDate) -> date:
    return date(picked.year(), picked.month(), picked.day())


class ReportPanel(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.jobs = desk.jobs
        self.report: OfficeReport | None = None
        self.save_dialog: QFileDialog | None = None

        self.office = named(QComboBox(), "report-office")
        today = local_time(desk.ctx.clock()).date()
        self.first_day = self._date_edit("report-from", today)
        self.last_day = self._date_edit("report-to", today)
        self.first_day.dateChanged.connect(self._first_changed)
        self.show_button = named(QPushButton(self.tr("&Show")), "report-show")
        self.pdf_button = named(QPushButton(self.tr("Export &PDF…")), "report-pdf")
        self.csv_button = named(QPushButton(self.tr("Export &CSV…")), "report-csv")
        self.show_button.clicked.connect(self.refresh)
        self.pdf_button.clicked.connect(lambda: self.ask_file("pdf"))
        self.csv_button.clicked.connect(lambda: self.ask_file("csv"))

        self.model = MeasureModel(desk.language, self)
        self.table = named(QTableView(), "report-table")
        self.table.setModel(self.model)
        set_up_view(self.table)
        self.states_view, self.states_chart = _bar_chart(
            self.tr("Applications by state at the end"), "report-states-chart"
        )
        self.cards_view, self.cards_chart = _bar_chart(self.tr("Cards"), "report-cards-chart")
        self.title = named(QLabel(wordWrap=True), "report-title")
        self.message = named(QLabel(wordWrap=True), "report-message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        pickers = QHBoxLayout()
        for label, widget in (
            (self.tr("&Office"), self.office), (self.tr("&From"), self.first_day),
            (self.tr("&To"), self.last_day),
        ):  # fmt: skip
            caption = QLabel(label)
            caption.setBuddy(widget)
            pickers.addWidget(caption)
            pickers.addWidget(widget)
        pickers.addWidget(self.show_button)
        pickers.addStretch(1)
        pickers.addWidget(self.pdf_button)
        pickers.addWidget(self.csv_button)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        charts_layout.addWidget(self.states_view, 2)  # eleven states, six card outcomes
        charts_layout.addWidget(self.cards_view, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(charts)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        # The table's columns would take all the width it asks for: the charts (and the names
        # of their bars) get the larger share from the start.
        split.setSizes([620, 630])
        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self._update_buttons()
        QTimer.singleShot(0, self.load_offices)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = named(QDateEdit(QDate(day.year, day.month, day.day)), name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        return edit

    def _first_changed(self, day: QDate) -> None:
        if self.last_day.date() < day:  # a period ends no earlier than it starts
            self.last_day.setDate(day)

    def _update_buttons(self, busy: bool = False) -> None:
        self.show_button.setEnabled(not busy and self.office.count() > 0)
        for button in (self.pdf_button, self.csv_button):
            button.setEnabled(not busy and self.report is not None)

    # -- reading ------------------------------------------------------------------------

    def load_offices(self) -> None:
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self.jobs.run(lambda: reports.report_offices(ctx, actor), self._offices, self._failed)

    def _offices(self, offices: list[ReportOffice]) -> None:
        self.office.clear()
        for office in offices:
            self.office.addItem(f"{office.code} · {office.name}", office.code)
        self._update_buttons()
        if offices:
            self.refresh()

    def refresh(self) -> None:
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        code = str(self.office.currentData() or "")
        first, last = _day_of(self.first_day.date()), _day_of(self.last_day.date())
        self.model.begin_loading()
        self._update_buttons(busy=True)
        self.jobs.run(
            lambda: reports.office_report(ctx, actor, code, first, last), self._shown, self._failed
        )

    def _shown(self, report: OfficeReport) -> None:
        self.report = report
        self.model.set_rows(reports.measures(report))
        self.title.setText(self.tr("Office {office} · {period}").format(
            office=f"{report.office_code} · {report.office_name}",
            period=reports.period_words(report),
        ))  # fmt: skip
        language = 0 if self.desk.language == "sq" else 1
        _fill(
            self.states_chart, self.tr("Applications"),
            [STATE_NAMES[state][language] for state, _ in report.by_state],
            [count for _, count in report.by_state],
        )  # fmt: skip
        _fill(
            self.cards_chart, self.tr("Cards"),
            [self.tr("Produced"), self.tr("Spoiled"), self.tr("Voided"), self.tr("Superseded"),
             self.tr("Revoked"), self.tr("Handed over")],
            [report.cards_produced, report.cards_spoiled, report.cards_voided,
             report.cards_superseded, report.cards_revoked, report.cards_handed_over],
        )  # fmt: skip
        self.message.clear()
        self._update_buttons()

    def _failed(self, error: Exception) -> None:
        self.model.end_loading()
        self.report = None
        self.model.set_rows([])
        self.title.clear()
        self._update_buttons()
        self.message.setText(self.desk.message(error))

    # -- exporting ----------------------------------------------------------------------

    def ask_file(self, kind: str) -> None:
        """A non-native save dialog (it speaks the desk's language); the file is written once
        the operator chose where."""
        if self.report is None:
            return
        suffix = {"pdf": self.tr("PDF files (*.pdf)"), "csv": self.tr("CSV files (*.csv)")}[kind]
        name = f"report-{self.report.office_code}-{self.report.first_day:%Y%m%d}.{kind}"
        dialog = QFileDialog(self, self.tr("Save the report"), str(Path.home() / name), suffix)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        dialog.fileSelected.connect(lambda path: self.export(kind, Path(path)))
        self.save_dialog = dialog
        dialog.open()

    def export(self, kind: str, path: Path) -> None:
        """Write the report shown as PDF or CSV (in the desk's language) to ``path``."""
        report, language = self.report, self.desk.language
        if report is None:
            return
        generated = self.desk.ctx.clock()

        def write() -> Path:
            document = reports.report_document(report, generated)
            data = (
                render_report_pdf(document) if kind == "pdf"
                else render_report_csv(document, language)
            )  # fmt: skip
            path.write_bytes(data)
            return path

        self._update_buttons(busy=True)
        self.jobs.run(write, self._exported, self._export_failed)

    def _exported(self, path: Path) -> None:
        self._update_buttons()
        self.message.setText(self.tr("The report was saved to {path}.").format(path=path))

    def _export_failed(self, error: Exception) -> None:
        self._update_buttons()
        self.message.setText(self.desk.message(error))
