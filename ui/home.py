"""Home after login. Each role's queue arrives with its capability; for now, who is logged in."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar, QVBoxLayout, QWidget

from issuance.permissions import ROLE_NAMES, Actor


class HomeWindow(QMainWindow):
    logged_out = Signal()

    def __init__(self, actor: Actor, language: str = "sq") -> None:
        super().__init__()
        self.actor = actor
        self.setWindowTitle(self.tr("Residence cards"))
        toolbar = QToolBar(objectName="toolbar")
        self.addToolBar(toolbar)
        logout = toolbar.addAction(self.tr("Log out"))
        logout.setObjectName("logout")
        logout.triggered.connect(self._logout)
        role = ROLE_NAMES[actor.role][0 if language == "sq" else 1]
        self.greeting = QLabel(
            self.tr("Logged in as {user} ({role})").format(user=actor.username, role=role),
            objectName="greeting",
        )
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.greeting)
        layout.addStretch(1)
        self.setCentralWidget(central)
        self.resize(900, 600)

    def _logout(self) -> None:
        self.logged_out.emit()
        self.close()
