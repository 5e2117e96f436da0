"""What every step of the enrolment wizard shares: completion, committing, background jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from issuance.queries.enrolment import ApplicationSummary
from ui.context import DeskContext

if TYPE_CHECKING:
    from ui.enrolment.wizard import EnrolmentWizard


OK_STYLE = "color: #2e7d32; font-weight: bold"
REFUSED_STYLE = "color: #c62828; font-weight: bold"
BUSY_STYLE = "color: #555555"


class StepPage(QWidget):
    """One step. The wizard asks ``is_complete``; on Next it calls ``commit``, and the page
    answers with ``committed(data)`` (saved with ``save_draft``) or ``commit_failed(text)``."""

    completeChanged = Signal()
    committed = Signal(object)
    commit_failed = Signal(str)
    step = ""

    def __init__(self, desk: DeskContext, wizard: EnrolmentWizard) -> None:
        super().__init__(wizard)
        self.desk = desk
        self.wizard = wizard
        self.jobs = desk.jobs
        self.setObjectName(f"page-{self.step}")

    def title(self) -> str:
        raise NotImplementedError

    def is_complete(self) -> bool:
        return True

    def load(self, summary: ApplicationSummary) -> None:
        """Show what is stored already (a reopened draft)."""

    def enter(self) -> None:
        """The page became visible."""

    def leave(self) -> None:
        """The wizard moves away from the page."""

    def shutdown(self) -> None:
        """The wizard closes: release devices, stop streams."""

    def commit(self) -> None:
        self.committed.emit(self.draft_data())

    def draft_data(self) -> dict[str, Any]:
        return {}

    def show_error(self, label: QLabel, error: Exception) -> None:
        label.setStyleSheet(REFUSED_STYLE)
        label.setText(self.desk.message(error))

    def show_ok(self, label: QLabel, text: str) -> None:
        label.setStyleSheet(OK_STYLE)
        label.setText(text)

    def show_busy(self, label: QLabel, text: str) -> None:
        label.setStyleSheet(BUSY_STYLE)
        label.setText(text)

    @property
    def application_id(self) -> int | None:
        return self.wizard.application_id
