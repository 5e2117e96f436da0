"""The supervisor's batches: open batches of the office with their counts, the batch table,
the detail pane, decisions one by one or "approve all remaining", and the manifest PDF.

Every service call runs in a worker; the services decide (four eyes, reason required, state
machine) and this screen shows their answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from issuance.domain.workflow import State
from issuance.queries import batches as batch_queries
from issuance.queries.batches import ApplicationMedia, BatchRow, BatchSummary
from issuance.services import applications, batches, receipts
from ui.context import DeskContext
from ui.pdf_view import PdfWindow, open_pdf
from ui.supervisor.detail import CancelDialog, DetailPane, RejectDialog
from ui.supervisor.models import THUMB_HEIGHT, BatchListModel, BatchTableModel
from ui.tables import set_up_view
from ui.widgets import named


class BatchHome(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.jobs = desk.jobs
        self._current_batch: BatchSummary | None = None
        self._busy = False
        self.manifest_path: Path | None = None
        self.pdf_window: PdfWindow | None = None  # the desk's own viewer, when it is used
        # The decisions the saved manifest shows: any later one makes it out of date.
        self._manifest_decisions: tuple[tuple[int, str], ...] | None = None
        self.reject_dialog: RejectDialog | None = None
        self.cancel_dialog: CancelDialog | None = None
        self.confirm_box: QMessageBox | None = None  # "approve all remaining?"

        self.batch_model = BatchListModel(self)
        self.batch_list = named(QTableView(), "batch-list")
        self.batch_list.setModel(self.batch_model)
        set_up_view(self.batch_list)
        self.batch_list.selectionModel().currentRowChanged.connect(self._batch_chosen)
        self.refresh_button = named(QPushButton(self.tr("Re&fresh")), "refresh")
        self.refresh_button.clicked.connect(self.refresh)

        self.table_model = BatchTableModel(desk, self)
        self.table = named(QTableView(), "batch-table")
        self.table.setModel(self.table_model)
        set_up_view(self.table)
        row_height = max(THUMB_HEIGHT + 2, self.table.fontMetrics().height() + 6)
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.selectionModel().currentRowChanged.connect(self._application_chosen)
        self.table.activated.connect(self._activated)
        self.detail = DetailPane(desk, self)
        self.detail.setObjectName("detail")
        self.detail.face_matches.decided.connect(self._duplicate_decided)

        self.approve_button = named(QPushButton(self.tr("&Approve")), "approve")
        self.reject_button = named(QPushButton(self.tr("&Reject…")), "reject")
        self.cancel_button = named(QPushButton(self.tr("Ca&ncel application…")), "cancel")
        self.approve_all_button = named(
            QPushButton(self.tr("Approve a&ll remaining")), "approve-all"
        )
        self.manifest_button = named(QPushButton(self.tr("&Manifest PDF")), "manifest")
        self.open_manifest_button = named(QPushButton(self.tr("&Open")), "open-manifest")
        self.open_manifest_button.setEnabled(False)
        self.progress = named(QProgressBar(), "progress", visible=False)
        self.message = named(QLabel(wordWrap=True), "message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.manifest_label = named(QLabel(wordWrap=True), "manifest-path")
        self.manifest_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.approve_button.clicked.connect(self.approve_current)
        self.reject_button.clicked.connect(self.ask_reject_reason)
        self.cancel_button.clicked.connect(self.ask_cancel_reason)
        self.approve_all_button.clicked.connect(self.approve_all_remaining)
        self.manifest_button.clicked.connect(self.make_manifest)
        self.open_manifest_button.clicked.connect(self._open_manifest)
        QShortcut(QKeySequence("F5"), self, self.refresh)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Open batches of your office")))
        left_layout.addWidget(self.batch_list, 1)
        left_layout.addWidget(self.refresh_button)
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.table)
        centre.addWidget(self.detail)
        # The list and the detail share the height: a dozen compact rows stay in view.
        centre.setStretchFactor(0, 1)
        centre.setStretchFactor(1, 1)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(centre)
        main.setStretchFactor(1, 4)
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.reject_button, self.approve_all_button,
                       self.cancel_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.manifest_button)
        buttons.addWidget(self.open_manifest_button)
        layout = QVBoxLayout(self)
        layout.addWidget(main, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.manifest_label)
        layout.addWidget(self.message)
        for first, second in (
            (self.batch_list, self.table), (self.table, self.approve_button),
            (self.approve_button, self.reject_button),
            (self.reject_button, self.approve_all_button),
            (self.approve_all_button, self.cancel_button),
            (self.cancel_button, self.manifest_button),
            (self.manifest_button, self.open_manifest_button),
        ):  # fmt: skip
            QWidget.setTabOrder(first, second)
        self._update_buttons()
        QTimer.singleShot(0, self.refresh)

    # -- batches ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the batch list (counts change as decisions are made)."""
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self.batch_model.begin_loading()
        self.jobs.run(
            lambda: batch_queries.open_batches(ctx, actor), self._batches_loaded, self._failed
        )

    def _batches_loaded(self, summaries: list[BatchSummary]) -> None:
        current = self._current_batch.batch_id if self._current_batch else None
        self.batch_model.set_batches(summaries)
        if not summaries:
            self.message.setText(self.tr("There are no open batches for your office."))
            return
        row = next((n for n, s in enumerate(summaries) if s.batch_id == current), 0)
        if current is not None and summaries[row].batch_id == current:
            self._current_batch = summaries[row]  # fresh counts, same table
            self.batch_list.selectionModel().blockSignals(True)
            self.batch_list.selectRow(row)
            self.batch_list.selectionModel().blockSignals(False)
        else:
            self.batch_list.selectRow(row)

    def _batch_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        self.open_batch(self.batch_model.batches[current.row()])

    def open_batch(self, summary: BatchSummary) -> None:
        self._current_batch = summary
        self.manifest_path = None
        self._manifest_decisions = None
        self.manifest_label.clear()
        self.open_manifest_button.setEnabled(False)
        ctx, actor, batch_id = self.desk.ctx, self.desk.actor, summary.batch_id
        assert actor is not None
        self.table_model.begin_loading()
        self.jobs.run(
            lambda: (batch_id, batch_queries.batch_applications(ctx, actor, batch_id)),
            self._batch_loaded,
            self._failed,
        )

    def _batch_loaded(self, result: tuple[int, list[BatchRow]]) -> None:
        batch_id, rows = result
        if self._current_batch is None or self._current_batch.batch_id != batch_id:
            return
        self.table_model.set_rows(rows)
        self._check_manifest()
        self.detail.clear()
        if rows:
            pending = next((n for n, r in enumerate(rows) if r.state == State.SUBMITTED), 0)
            self.table.selectRow(pending)
        self._update_buttons()

    # -- the application under review --------------------------------------------------

    def current_row(self) -> BatchRow | None:
        index = self.table.currentIndex()
        return self.table_model.row(index.row()) if index.isValid() else None

    def _application_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.table_model.row(current.row()) if current.isValid() else None
        self._update_buttons()
        if row is None:
            self.detail.clear()
            return
        if row.application_id == self.detail.application_id:
            self.detail.show_row(row)
            return
        self.detail.show_row(row)
        ctx, actor, application_id = self.desk.ctx, self.desk.actor, row.application_id
        assert actor is not None
        self.jobs.run(
            lambda: (application_id, batch_queries.application_media(ctx, actor, application_id)),
            self._media_loaded,
            self._media_failed,
        )

    def _media_loaded(self, result: tuple[int, ApplicationMedia]) -> None:
        self.detail.show_media(*result)

    def _media_failed(self, error: Exception) -> None:
        if self.detail.application_id is not None:
            self.detail.show_media_error(self.detail.application_id, self.desk.message(error))

    def _activated(self, _index: QModelIndex) -> None:
        # Enter on a row moves the focus to the decision buttons.
        self.approve_button.setFocus()

    def _update_buttons(self) -> None:
        row = self.current_row()
        undecided = row is not None and row.state == State.SUBMITTED
        self.approve_button.setEnabled(not self._busy and undecided)
        self.reject_button.setEnabled(not self._busy and undecided)
        remaining = any(r.state == State.SUBMITTED for r in self.table_model.rows)
        self.approve_all_button.setEnabled(not self._busy and remaining)
        # Submitted or approved, the card not produced yet: a supervisor may still cancel.
        cancellable = row is not None and row.state in (State.SUBMITTED, State.APPROVED)
        self.cancel_button.setEnabled(not self._busy and cancellable)
        self.manifest_button.setEnabled(self._current_batch is not None)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    # -- decisions ----------------------------------------------------------------------

    def approve_current(self) -> None:
        row = self.current_row()
        if row is None or self._busy:
            return
        self._set_busy(True)
        self.message.setText(self.tr("Approving {number}…").format(number=row.number))
        self._approve(row.application_id, self._approved, self._decision_failed)

    def _approve(
        self,
        application_id: int,
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        ctx, actor, fer = self.desk.ctx, self.desk.actor, self.desk.registers.fer
        assert actor is not None
        self.jobs.run(
            # FER is read again in the worker: a permit revoked or ended since stops it.
            lambda: (application_id, batches.approve(ctx, actor, application_id, fer=fer)),
            on_success,
            on_failure,
        )

    def _mark(self, application_id: int, state: State, reason: str | None = None) -> BatchRow:
        n = self.table_model.row_of(application_id)
        assert n is not None
        row = replace(self.table_model.rows[n], state=state.value, decision_reason=reason)
        self.table_model.replace(row)
        self._check_manifest()
        if self.detail.application_id == application_id:
            self.detail.show_row(row)
        return row

    def _approved(self, result: tuple[int, str]) -> None:
        application_id, nid = result
        row = self._mark(application_id, State.APPROVED)
        self._set_busy(False)
        self.message.setText(
            self.tr("Application {number} approved; personal number {nid}.").format(
                number=row.number, nid=nid
            )
        )
        self._next_pending(application_id)
        self.refresh()

    def _decision_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.message.setText(self.desk.message(error))

    def _duplicate_decided(self, application_id: int, rejected_reason: str) -> None:
        """A possible duplicate judged the same person rejected the application."""
        if rejected_reason and self.table_model.row_of(application_id) is not None:
            row = self._mark(application_id, State.REJECTED, rejected_reason)
            self.message.setText(
                self.tr("Application {number} rejected.").format(number=row.number)
            )
            self.refresh()

    def ask_reject_reason(self) -> None:
        row = self.current_row()
        if row is None or self._busy:
            return
        dialog = RejectDialog(row.number, self)
        application_id = row.application_id
        dialog.accepted.connect(self._reject_confirmed)
        dialog.setProperty("application_id", application_id)
        self.reject_dialog = dialog
        dialog.open()

    def _reject_confirmed(self) -> None:
        dialog = self.reject_dialog
        if dialog is None:
            return
        application_id, reason = dialog.property("application_id"), dialog.text()
        self.reject_dialog = None
        dialog.deleteLater()
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self._set_busy(True)

        def reject() -> tuple[int, str]:
            batches.reject(ctx, actor, application_id, reason)
            return application_id, reason

        self.jobs.run(reject, self._rejected, self._decision_failed)

    def _rejected(self, result: tuple[int, str]) -> None:
        application_id, reason = result
        row = self._mark(application_id, State.REJECTED, reason.strip())
        self._set_busy(False)
        self.message.setText(self.tr("Application {number} rejected.").format(number=row.number))
        self._next_pending(application_id)
        self.refresh()

    def ask_cancel_reason(self) -> None:
        row = self.current_row()
        if row is None or self._busy or self.cancel_dialog is not None:
            return
        dialog = CancelDialog(row.number, self)
        application_id = row.application_id
        dialog.finished.connect(
            lambda result: self._cancel_answered(dialog, application_id, result)
        )
        self.cancel_dialog = dialog
        dialog.open()

    def _cancel_answered(self, dialog: CancelDialog, application_id: int, result: int) -> None:
        self.cancel_dialog = None
        dialog.deleteLater()
        if result != CancelDialog.DialogCode.Accepted:
            return
        ctx, actor, reason = self.desk.ctx, self.desk.actor, dialog.text()
        assert actor is not None
        self._set_busy(True)
        self.jobs.run(
            lambda: applications.cancel(ctx, actor, application_id, reason),
            self._cancelled,
            self._decision_failed,
        )

    def _cancelled(self, done: applications.Cancelled) -> None:
        row = self._mark(done.id, State.CANCELLED, done.reason)
        self._set_busy(False)
        text = self.tr("Application {number} cancelled.").format(number=row.number)
        if done.coupon:
            text += " " + self.tr("Coupon {code} is given back to the post office.").format(
                code=done.coupon
            )
        self.message.setText(text)
        self._next_pending(done.id)
        self.refresh()

    def _next_pending(self, after_id: int) -> None:
        """Move on to the next undecided application, so the review goes on with the keyboard."""
        rows = self.table_model.rows
        start = self.table_model.row_of(after_id) or 0
        for n in [*range(start + 1, len(rows)), *range(0, start)]:
            if rows[n].state == State.SUBMITTED:
                self.table.selectRow(n)
                return
        self._update_buttons()

    # -- approve all remaining ------------------------------------------------------------

    def approve_all_remaining(self) -> None:
        """Ask first; then one service call approves the batch's undecided applications in one
        transaction (what the supervisor may not decide is skipped and reported)."""
        summary = self._current_batch
        if self._busy or summary is None or self.confirm_box is not None:
            return
        pending = [r.application_id for r in self.table_model.rows if r.state == State.SUBMITTED]
        if not pending:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Approve all remaining"),
            self.tr(
                "Approve all %n undecided application(s) of batch {batch}?", "", len(pending)
            ).format(batch=summary.label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("approve-all-confirm")
        # Qt ships no Albanian for its standard buttons: the desk's own translation names them.
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Yes"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("&No"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda _result: self._approve_all_answered(box, summary, pending))
        self.confirm_box = box
        box.open()

    def _approve_all_answered(
        self, box: QMessageBox, summary: BatchSummary, pending: list[int]
    ) -> None:
        yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        self.confirm_box = None
        box.deleteLater()
        current = self._current_batch
        if not yes or self._busy or current is None or current.batch_id != summary.batch_id:
            return
        ctx, actor, batch_id = self.desk.ctx, self.desk.actor, summary.batch_id
        fer = self.desk.registers.fer
        assert actor is not None
        self.progress.setRange(0, 0)  # one call: busy, no count to show
        self.progress.setVisible(True)
        self._set_busy(True)
        self.message.setText(self.tr("Approving %n application(s)…", "", len(pending)))
        # Only the applications the supervisor saw undecided: one submitted to the batch since
        # is never approved unseen.
        self.jobs.run(
            lambda: batches.approve_remaining(
                ctx, actor, batch_id, application_ids=pending, fer=fer
            ),
            self._all_approved,
            self._all_failed,
        )

    def _all_approved(self, result: batches.ApprovalSummary) -> None:
        text = self.tr("%n application(s) approved.", "", len(result.approved))
        if result.skipped:
            text = self.tr(
                "%n application(s) approved; {skipped} left undecided:", "", len(result.approved)
            ).format(skipped=len(result.skipped))
            text += "".join(
                f"\n{s.number or s.application_id}: {self.desk.message(s.reason)}"
                for s in result.skipped
            )
        self.message.setText(text)
        self._reload_after_approving(result.batch_id)

    def _all_failed(self, error: Exception) -> None:
        # The service approves all in one transaction: on an error nothing was approved.
        self.message.setText(
            self.tr("Nothing was approved: {reason}").format(reason=self.desk.message(error))
        )
        summary = self._current_batch
        if summary is None:
            self._approving_done()
        else:
            self._reload_after_approving(summary.batch_id)

    def _reload_after_approving(self, batch_id: int) -> None:
        """The rows as the database now has them (never patched here), then the counts."""
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None

        def reloaded(result: tuple[int, list[BatchRow]]) -> None:
            self._approving_done()
            self._batch_loaded(result)

        def failed(error: Exception) -> None:
            self._approving_done()
            self._failed(error)

        self.jobs.run(
            lambda: (batch_id, batch_queries.batch_applications(ctx, actor, batch_id)),
            reloaded,
            failed,
        )
        self.refresh()

    def _approving_done(self) -> None:
        self.progress.setVisible(False)
        self.progress.setRange(0, 1)
        self._set_busy(False)

    # -- manifest -----------------------------------------------------------------------

    def make_manifest(self) -> None:
        summary = self._current_batch
        if summary is None:
            return
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        folder = self.desk.settings.data_dir / "manifests"
        batch_id, label = summary.batch_id, summary.label
        self.manifest_button.setEnabled(False)
        self.message.setText(self.tr("Preparing the manifest…"))
        decisions = self._decisions()

        def write() -> Path:
            pdf = receipts.batch_manifest_pdf(ctx, actor, batch_id)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{label}.pdf"
            partial = path.with_suffix(".pdf.part")
            partial.write_bytes(pdf)
            partial.replace(path)  # never leave a half-written PDF under the final name
            return path

        self.jobs.run(
            write, lambda path: self._manifest_written(path, decisions), self._manifest_failed
        )

    def _manifest_written(self, path: Path, decisions: tuple[tuple[int, str], ...]) -> None:
        self.manifest_path = path
        self._manifest_decisions = decisions
        self.manifest_button.setEnabled(True)
        self.open_manifest_button.setEnabled(True)
        self._check_manifest()
        self.message.clear()

    def _decisions(self) -> tuple[tuple[int, str], ...]:
        return tuple((row.application_id, row.state) for row in self.table_model.rows)

    def _check_manifest(self) -> None:
        """Say whether the saved manifest still shows the batch's decisions."""
        if self.manifest_path is None:
            return
        stale = self._manifest_decisions != self._decisions()
        self.manifest_label.setProperty("stale", stale)
        self.manifest_label.setStyleSheet("color: #b26a00; font-weight: bold" if stale else "")
        text = self.tr("Manifest saved: {path}").format(path=self.manifest_path)
        if stale:
            text += " " + self.tr(
                "It is out of date: decisions were made after it. Make it again before printing."
            )
        self.manifest_label.setText(text)

    def _manifest_failed(self, error: Exception) -> None:
        self.manifest_button.setEnabled(True)
        self.message.setText(self.desk.message(error))

    def _open_manifest(self) -> None:
        if self.manifest_path is not None:
            self.pdf_window = open_pdf(self.manifest_path, self)

    def _failed(self, error: Exception) -> None:
        self.batch_model.end_loading()
        self.table_model.end_loading()
        self.message.setText(self.desk.message(error))
