"""Login: username, password, and the 6-digit code for supervisors and administrators."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from issuance.bootstrap import Context
from issuance.errors import IssuanceError
from issuance.security.permissions import Actor
from issuance.services import operators
from ui.widgets import named
from ui.workers import Jobs, Task

log = logging.getLogger(__name__)


class LoginWindow(QWidget):
    logged_in = Signal(object)  # Actor
    language_changed = Signal(str)

    def __init__(self, ctx: Context, language: str = "sq", jobs: Jobs | None = None) -> None:
        super().__init__()
        self._ctx, self._language = ctx, language
        # The desk's registry; a login window shown on its own (tests, screenshots) has its own.
        self._jobs = jobs if jobs is not None else Jobs()
        self._task: Task | None = None
        self.setWindowTitle(self.tr("Residence cards — login"))
        self.username = named(QLineEdit(), "username")
        self.password = named(QLineEdit(echoMode=QLineEdit.EchoMode.Password), "password")
        self.code = named(QLineEdit(maxLength=6, inputMask=""), "code")
        self.code.setPlaceholderText(self.tr("only supervisors and administrators"))
        self.submit = named(QPushButton(self.tr("Log in"), default=True), "submit")
        self.language = named(QComboBox(), "language")
        self.language.addItem("Shqip", "sq")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if language == "sq" else 1)
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.message = named(QLabel(wordWrap=True), "message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("6-digit code"), self.code)
        form.addRow(self.tr("Language"), self.language)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Biometric residence cards for foreign residents"))
        title.setObjectName("title")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.submit)
        layout.addWidget(self.message)

        self.submit.clicked.connect(self._login)
        for field in (self.username, self.password, self.code):
            field.returnPressed.connect(self._login)

    def _language_chosen(self, index: int) -> None:
        self.language_changed.emit(self.language.itemData(index))

    def _login(self) -> None:
        if self._task is not None:
            return
        username, password = self.username.text().strip(), self.password.text()
        code = self.code.text().strip() or None
        if not username or not password:
            self.message.setText(self.tr("Enter your username and password."))
            return
        self.submit.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        ctx = self._ctx
        # argon2 takes tens of milliseconds by design: never on the GUI thread.
        self._task = self._jobs.run(
            lambda: operators.authenticate(ctx, username, password, code),
            self._succeeded,
            self._failed,
        )

    def _succeeded(self, actor: Actor) -> None:
        self._task = None
        self.password.clear()
        self.code.clear()
        self.submit.setEnabled(True)
        self.message.clear()
        self.logged_in.emit(actor)

    def _failed(self, error: Exception) -> None:
        self._task = None
        self.submit.setEnabled(True)
        self.password.clear()
        if isinstance(error, operators.SecondFactorRequired):
            self.code.setFocus()
        if isinstance(error, IssuanceError):
            self.message.setText(error.message(self._language))
        else:
            log.exception("login failed unexpectedly", exc_info=error)
            self.message.setText(self.tr("Unexpected error; see the log."))
