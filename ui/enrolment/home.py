"""The clerk's queue: resumable drafts and today's submissions; Ctrl+N starts a new one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from issuance.domain.workflow import STATE_NAMES, State
from issuance.labels import in_language
from issuance.queries import enrolment as enrolment_queries
from issuance.queries.enrolment import DraftRow, SubmissionRow
from issuance.services import enrolment
from issuance.services.enrolment import card_type_name
from issuance.wall_clock import local_time
from ui.context import DeskContext
from ui.enrolment.base import REFUSED_STYLE
from ui.enrolment.wizard import EnrolmentWizard
from ui.tables import Row, RowsModel, table_view
from ui.widgets import named


class _ClerkRows(RowsModel[Row]):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__((), parent)
        self.language = language


class DraftsModel(_ClerkRows[DraftRow]):
    def headers(self) -> Sequence[str]:
        return (self.tr("Application"), self.tr("Applicant"), self.tr("Card type"),
                self.tr("State"), self.tr("Resumes at"), self.tr("Started"))  # fmt: skip

    def step_name(self, step: str) -> str:
        return {
            "coupon": self.tr("Coupon"), "permit": self.tr("Residence permit"),
            "photo": self.tr("Photo"), "fingerprints": self.tr("Fingerprints"),
            "signature": self.tr("Signature"), "documents": self.tr("Documents"),
            "review": self.tr("Review and submit"),
        }.get(step, step)  # fmt: skip

    def text(self, row: DraftRow, column: int) -> str:
        state = STATE_NAMES[State(row.state)][0 if self.language == "sq" else 1]
        return (row.number, row.applicant or "—", card_type_name(row.card_type, self.language),
                state, self.step_name(row.step),
                f"{local_time(row.created_at):%d.%m.%Y %H:%M}")[column]  # fmt: skip


class SubmissionsModel(_ClerkRows[SubmissionRow]):
    def headers(self) -> Sequence[str]:
        return (self.tr("Application"), self.tr("Applicant"), self.tr("Card type"),
                self.tr("Submitted"), self.tr("State"), self.tr("Rejection reason"))  # fmt: skip

    def text(self, row: SubmissionRow, column: int) -> str:
        state = in_language(STATE_NAMES, _state(row.state), self.language, default=row.state)
        return (row.number, row.applicant or "—", card_type_name(row.card_type, self.language),
                f"{local_time(row.submitted_at):%H:%M}", state,
                row.rejection_reason or "")[column]  # fmt: skip


def _state(value: str) -> State | None:
    try:
        return State(value)
    except ValueError:
        return None


class DiscardDialog(QDialog):
    """Confirms discarding a draft; the reason is optional (the service records it)."""

    def __init__(self, row: DraftRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("discard-dialog")
        self.row = row
        self.setWindowTitle(self.tr("Discard draft {number}").format(number=row.number))
        self.reason = named(QLineEdit(), "discard-reason")
        self.reason.setPlaceholderText(self.tr("Reason (optional)"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Discard"))
        ok.setObjectName("discard-confirm")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Keep"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            self.tr("Discard application {number} ({applicant})? It cannot be resumed "
                    "afterwards; its coupon is given back to the post office.").format(
                number=row.number, applicant=row.applicant or "—"),
            wordWrap=True,
        ))  # fmt: skip
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.reason.setFocus()


class EnrolmentHome(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.jobs = desk.jobs
        self.wizard: EnrolmentWizard | None = None
        self._loading = self._again = False
        self.new_button = named(QPushButton(self.tr("&New application")), "new_application")
        self.new_button.setToolTip("Ctrl+N")
        self.resume_button = named(QPushButton(self.tr("&Resume draft")), "resume")
        self.discard_button = named(QPushButton(self.tr("Dis&card draft…")), "discard")
        self.discard_dialog: DiscardDialog | None = None
        self._notice = ""
        self.refresh_button = named(QPushButton(self.tr("Re&fresh")), "refresh")
        self.refresh_button.setToolTip("F5")
        self.drafts_model = DraftsModel(desk.language, self)
        self.submissions_model = SubmissionsModel(desk.language, self)
        self.drafts = table_view("drafts", self.drafts_model, stretch=True)
        self.submissions = table_view("submissions", self.submissions_model, stretch=True)
        self.message = named(QLabel(wordWrap=True), "home_message")

        buttons = QHBoxLayout()
        for button in (self.new_button, self.resume_button, self.discard_button,
                       self.refresh_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        drafts_label = QLabel(self.tr("My &drafts (Enter or double-click resumes)"))
        drafts_label.setBuddy(self.drafts)
        layout.addWidget(drafts_label)
        layout.addWidget(self.drafts, 2)
        submissions_label = QLabel(self.tr("&Submitted today"))
        submissions_label.setBuddy(self.submissions)
        layout.addWidget(submissions_label)
        layout.addWidget(self.submissions, 1)
        layout.addWidget(self.message)
        self.setTabOrder(self.new_button, self.resume_button)
        self.setTabOrder(self.resume_button, self.discard_button)
        self.setTabOrder(self.discard_button, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.drafts)
        self.setTabOrder(self.drafts, self.submissions)

        QShortcut(QKeySequence("Ctrl+N"), self, self.new_application)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        self.new_button.clicked.connect(self.new_application)
        self.resume_button.clicked.connect(self._resume_selected)
        self.discard_button.clicked.connect(self.ask_discard)
        self.refresh_button.clicked.connect(self.refresh)
        self.drafts.activated.connect(self._resume_index)
        self.drafts.doubleClicked.connect(self._resume_index)
        self.refresh()

    # -- the queue ---------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._loading:
            self._again = True  # a change arrived during the query: ask once more after it
            return
        self._loading, self._again = True, False
        self.drafts_model.begin_loading()
        self.submissions_model.begin_loading()
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self.jobs.run(
            lambda: (enrolment_queries.my_drafts(ctx, actor),
                     enrolment_queries.todays_submissions(ctx, actor)),
            self._loaded, self._failed,
        )  # fmt: skip

    def _loaded(self, rows: tuple[list[DraftRow], list[SubmissionRow]]) -> None:
        self._loading = False
        if self._again:
            self.refresh()
            return
        self.drafts_model.set_rows(rows[0])
        self.submissions_model.set_rows(rows[1])
        if rows[0] and not self.drafts.currentIndex().isValid():
            self.drafts.selectRow(0)
        self.message.setText(self._notice)
        self._notice = ""

    def _failed(self, error: Exception) -> None:
        self._loading = False
        self.drafts_model.end_loading()
        self.submissions_model.end_loading()
        self.message.setStyleSheet(REFUSED_STYLE)
        self.message.setText(self.desk.message(error))

    # -- discarding a draft ------------------------------------------------------------------

    def ask_discard(self) -> None:
        index = self.drafts.currentIndex()
        if not index.isValid() or self.discard_dialog is not None:
            return
        row: DraftRow = self.drafts_model.rows[index.row()]
        if self.wizard is not None and self.wizard.application_id == row.application_id:
            self.message.setStyleSheet(REFUSED_STYLE)
            self.message.setText(self.tr("Close the application's window before discarding it."))
            return
        dialog = DiscardDialog(row, self)
        dialog.finished.connect(lambda result: self._discard_answered(dialog, result))
        self.discard_dialog = dialog
        dialog.open()

    def _discard_answered(self, dialog: DiscardDialog, result: int) -> None:
        self.discard_dialog = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            return
        ctx, actor = self.desk.ctx, self.desk.actor
        application_id, reason = dialog.row.application_id, dialog.reason.text()
        assert actor is not None
        self.jobs.run(
            lambda: enrolment.discard_draft(ctx, actor, application_id, reason),
            self._discarded, self._failed,
        )  # fmt: skip

    def _discarded(self, done: enrolment.DraftDiscarded) -> None:
        self.message.setStyleSheet("")
        text = self.tr("Draft {number} discarded.").format(number=done.number)
        if done.coupon:
            text += " " + self.tr("Coupon {code} is given back to the post office.").format(
                code=done.coupon
            )
        self._notice = text  # shown once the list no longer has the draft
        self.refresh()

    # -- the wizard --------------------------------------------------------------------------

    def new_application(self) -> None:
        self._open(None)

    def _resume_selected(self) -> None:
        self._resume_index(self.drafts.currentIndex())

    def _resume_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row: DraftRow = self.drafts_model.rows[index.row()]
        self._open(row.application_id)

    def _open(self, application_id: int | None) -> None:
        if self.wizard is not None:
            # One applicant at a time at a desk: the open wizard comes to the front.
            self.wizard.raise_()
            self.wizard.activateWindow()
            return
        wizard = EnrolmentWizard(self.desk, application_id, self)
        wizard.setWindowFlag(Qt.WindowType.Window, True)
        wizard.closed.connect(self._wizard_closed)
        wizard.submitted.connect(self._wizard_submitted)
        self.wizard = wizard
        wizard.show()

    def _wizard_submitted(self, _application_id: int) -> None:
        self.refresh()

    def _wizard_closed(self) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is not None:
            wizard.deleteLater()
        self.refresh()
