"""A supervisor confirms a quality override at the clerk's desk by signing in on the spot."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from issuance.security.permissions import Actor, UseCase, authorize
from issuance.services import operators
from ui.context import DeskContext
from ui.enrolment.base import REFUSED_STYLE
from ui.widgets import named


def _authenticate_supervisor(desk: DeskContext, username: str, password: str, code: str) -> Actor:
    actor = operators.authenticate(desk.ctx, username, password, code or None)
    # Only someone allowed to override quality may approve: a clerk's password does not do.
    authorize(actor, UseCase.OVERRIDE_QUALITY)
    return actor


class SupervisorDialog(QDialog):
    """Username, password, 6-digit code and the reason; emits ``approved(actor, reason)``."""

    approved = Signal(object, str)

    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.jobs = desk.jobs
        self.setWindowTitle(self.tr("Supervisor override"))
        self.username = named(QLineEdit(), "supervisor_username")
        self.password = named(
            QLineEdit(echoMode=QLineEdit.EchoMode.Password), "supervisor_password"
        )
        self.code = named(QLineEdit(maxLength=6), "supervisor_code")
        self.reason = named(QLineEdit(), "override_reason")
        self.message = named(QLabel(wordWrap=True), "supervisor_message")
        form = QFormLayout()
        form.addRow(self.tr("Supervisor"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("6-digit code"), self.code)
        form.addRow(self.tr("Reason"), self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("supervisor_buttons")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "A supervisor accepts the fingers below the quality "
                    "threshold. The supervisor signs in here."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)

    def _check(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        code, reason = self.code.text().strip(), self.reason.text().strip()
        if not (username and password and reason):
            self.message.setStyleSheet(REFUSED_STYLE)
            self.message.setText(self.tr("Enter the supervisor's username, password and the "
                                         "reason."))  # fmt: skip
            return
        self.buttons.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Checking…"))
        desk = self.desk
        self.jobs.run(
            lambda: _authenticate_supervisor(desk, username, password, code),
            self._accepted, self._refused,
        )  # fmt: skip

    def _accepted(self, actor: Actor) -> None:
        self.password.clear()
        self.code.clear()
        self.approved.emit(actor, self.reason.text().strip())
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.code.clear()
        self.message.setStyleSheet(REFUSED_STYLE)
        self.message.setText(self.desk.message(error))
