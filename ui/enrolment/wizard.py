"""The enrolment wizard: seven steps with Back / Next, resumable from any draft.

The application row (and its number) exists once the first coupon verified at the post
office (a mistyped coupon leaves nothing); after each step the wizard saves its notes with
``enrolment.save_draft`` and every capture is stored by its service at once, so a closed
window, a crash or a power cut resumes at the first step whose result is not stored. A child
below the age limit passes the fingerprint and signature steps.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from issuance.queries import enrolment as enrolment_queries
from issuance.queries.enrolment import STEPS, ApplicationSummary
from issuance.services import enrolment
from ui.context import DeskContext
from ui.enrolment.base import REFUSED_STYLE, StepPage
from ui.enrolment.coupon_permit import CouponPage, PermitPage
from ui.enrolment.fingerprints import FingerprintsPage
from ui.enrolment.photo import PhotoPage
from ui.enrolment.review import DocumentsPage, ReviewPage
from ui.enrolment.signature import SignaturePage
from ui.widgets import named

log = logging.getLogger(__name__)

# A child below the age limit gives no fingerprints and no signature: these steps are passed.
CHILD_SKIPS = ("fingerprints", "signature")


class EnrolmentWizard(QDialog):
    """A non-modal window; ``application_id`` None starts a new application at the coupon."""

    submitted = Signal(int)
    closed = Signal()

    def __init__(
        self, desk: DeskContext, application_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.application_id: int | None = None
        self.number: str | None = None
        # The exemption recorded with the permit ({"age", "below", "on"}); None for an adult.
        self.child_exemption: dict[str, Any] | None = None
        self.jobs = desk.jobs
        self._finished = False
        self._closing = False
        self._busy = False
        self.setObjectName("enrolment_wizard")
        self.setWindowTitle(self.tr("New application"))
        self.setModal(False)

        self.header = named(QLabel(), "header")
        self.header.setStyleSheet("font-size: 15px; font-weight: bold")
        self.steps = named(QListWidget(), "steps")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setFixedWidth(190)
        self.stack = named(QStackedWidget(), "pages")
        self.message = named(QLabel(wordWrap=True), "wizard_message")
        self.back_button = named(QPushButton(self.tr("&Back")), "back")
        self.next_button = named(QPushButton(self.tr("&Next")), "next")
        self.close_button = named(QPushButton(self.tr("&Close")), "close")
        self.back_button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        # Enter anywhere on a page goes on once the step is done.
        self.next_button.setDefault(True)

        self.pages: list[StepPage] = [
            CouponPage(desk, self), PermitPage(desk, self), PhotoPage(desk, self),
            FingerprintsPage(desk, self), SignaturePage(desk, self), DocumentsPage(desk, self),
            ReviewPage(desk, self),
        ]  # fmt: skip
        assert tuple(p.step for p in self.pages) == STEPS
        for page in self.pages:
            self.stack.addWidget(page)
            self.steps.addItem(page.title())
            page.completeChanged.connect(self._update_buttons)
            page.committed.connect(self._committed)
            page.commit_failed.connect(self._commit_failed)
        self.review.submitted.connect(self._submitted)

        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        body = QHBoxLayout()
        body.addWidget(self.steps)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.reject)
        self.resize(1000, 720)

        if application_id is None:
            self._go(0)
        else:
            self._load(application_id)

    # -- pages -------------------------------------------------------------------------------

    @property
    def review(self) -> ReviewPage:
        return self.pages[-1]  # type: ignore[return-value]

    def page(self, step: str) -> StepPage:
        return self.pages[STEPS.index(step)]

    @property
    def current(self) -> StepPage:
        return self.pages[self.stack.currentIndex()]

    @property
    def current_step(self) -> str:
        return self.current.step

    def set_application(self, application_id: int, number: str) -> None:
        self.application_id, self.number = application_id, number
        self.setWindowTitle(self.tr("Application {number}").format(number=number))
        self._update_header()

    def set_child_exemption(self, exemption: dict[str, Any] | None) -> None:
        """A child below the age limit: the fingerprint and signature steps are passed."""
        self.child_exemption = exemption
        for index, page in enumerate(self.pages):
            if page.step in CHILD_SKIPS:
                item = self.steps.item(index)
                text = page.title()
                if exemption is not None:
                    text = self.tr("{step} (not needed: child)").format(step=text)
                item.setText(text)

    def skipped(self, index: int) -> bool:
        return self.child_exemption is not None and self.pages[index].step in CHILD_SKIPS

    def _update_header(self, name: str = "") -> None:
        text = self.tr("Application {number}").format(number=self.number or "—")
        self.header.setText(f"{text} — {name}" if name else text)

    def focus_next(self) -> None:
        """A page that just finished gives Enter to Next."""
        if self.next_button.isEnabled():
            self.next_button.setFocus()

    # -- resuming ----------------------------------------------------------------------------

    def _load(self, application_id: int) -> None:
        self._busy = True
        self.stack.setEnabled(False)
        self.message.setText(self.tr("Opening the draft…"))
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self.jobs.run(
            lambda: enrolment_queries.application_summary(ctx, actor, application_id),
            self._loaded, self._load_failed,
        )  # fmt: skip
        self._update_buttons()

    def _loaded(self, summary: ApplicationSummary) -> None:
        self._busy = False
        self.stack.setEnabled(True)
        self.message.clear()
        self.set_application(summary.application_id, summary.number)
        if summary.permit:
            self._update_header(f"{summary.permit['surname']}, {summary.permit['given_names']}")
        self.set_child_exemption(summary.child_exemption)
        for page in self.pages:
            page.load(summary)
        self._go(STEPS.index(summary.step))

    def _load_failed(self, error: Exception) -> None:
        self._busy = False
        self.message.setStyleSheet(REFUSED_STYLE)
        self.message.setText(self.desk.message(error))

    # -- navigation --------------------------------------------------------------------------

    def _go(self, index: int) -> None:
        previous = self.stack.currentIndex()
        if 0 <= previous < len(self.pages) and previous != index and self.stack.count():
            self.pages[previous].leave()
        self.stack.setCurrentIndex(index)
        self.steps.setCurrentRow(index)
        self.message.clear()
        self.message.setStyleSheet("")
        self._update_buttons()
        self.current.enter()

    def next(self) -> None:
        page = self.current
        if self._busy or not page.is_complete():
            return
        if page is self.review:
            self._finish()
            return
        self._busy = True
        self._update_buttons()
        page.commit()

    def _committed(self, data: dict[str, Any]) -> None:
        page = self.sender()
        if page is not self.current:
            return
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, self.application_id
        assert actor is not None and app_id is not None
        step = page.step
        if step == "permit":
            self._update_header(
                f"{page.fields['surname'].text()}, {page.fields['given_names'].text()}"  # type: ignore[attr-defined]
            )
        self.jobs.run(
            lambda: enrolment.save_draft(ctx, actor, app_id, step, data),
            self._saved, self._commit_error,
        )  # fmt: skip

    def _saved(self, _result: object) -> None:
        self._busy = False
        index = self.stack.currentIndex() + 1
        while index < len(self.pages) - 1 and self.skipped(index):
            index += 1
        self._go(min(index, len(self.pages) - 1))

    def _commit_failed(self, text: str) -> None:
        self._busy = False
        self.message.setStyleSheet(REFUSED_STYLE)
        self.message.setText(text)
        self._update_buttons()

    def _commit_error(self, error: Exception) -> None:
        self._commit_failed(self.desk.message(error))

    def back(self) -> None:
        index = self.stack.currentIndex()
        if self._busy or index == 0 or self._finished:
            return
        index -= 1
        while index > 0 and self.skipped(index):
            index -= 1
        self._go(index)

    def _update_buttons(self) -> None:
        index = self.stack.currentIndex()
        last = index == len(self.pages) - 1
        self.back_button.setEnabled(index > 0 and not self._busy and not self._finished)
        self.next_button.setText(self.tr("&Finish") if last else self.tr("&Next"))
        self.next_button.setEnabled(not self._busy and self.current.is_complete())

    def _submitted(self, application_id: int) -> None:
        self._finished = True
        self.submitted.emit(application_id)
        self._update_buttons()

    def _finish(self) -> None:
        self._closing = True
        self.close()

    # -- closing -----------------------------------------------------------------------------

    def close_keeping_draft(self) -> None:
        """Close without asking (logout, idle logout): every finished step is already saved."""
        self._closing = True
        self.close()

    def reject(self) -> None:
        """Esc or Close: the draft is kept, but the clerk confirms."""
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self._closing and not self._finished and not self._confirm_close():
            event.ignore()
            return
        self._closing = True
        for page in self.pages:
            page.shutdown()
        # QDialog.closeEvent would call reject() again: the event is handled here instead.
        event.accept()
        self.closed.emit()

    def _confirm_close(self) -> bool:
        if self.application_id is None:
            return True
        answer = QMessageBox.question(
            self, self.tr("Close the application?"),
            self.tr("The draft is kept and can be resumed from the list of drafts. Close?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes
