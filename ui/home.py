"""Home after login: the role's own screens as tabs, search for everyone, the status bar."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QToolBar, QWidget

from issuance.security.permissions import ROLE_NAMES, Actor, Role
from ui.context import DeskContext
from ui.status import DeskStatusBar
from ui.widgets import named


class HomeWindow(QMainWindow):
    logged_out = Signal()

    def __init__(self, desk: DeskContext) -> None:
        super().__init__()
        assert desk.actor is not None
        self.desk, self.actor = desk, desk.actor
        self.setWindowTitle(self.tr("Residence cards"))
        toolbar = named(QToolBar(), "toolbar")
        self.addToolBar(toolbar)
        role = ROLE_NAMES[self.actor.role][0 if desk.language == "sq" else 1]
        greeting = self.tr("Logged in as {user} ({role})").format(
            user=self.actor.username, role=role
        )
        self.greeting = named(QLabel(greeting), "greeting")
        toolbar.addWidget(self.greeting)
        logout = toolbar.addAction(self.tr("Log out"))
        logout.setObjectName("logout")
        logout.setShortcut(QKeySequence("Ctrl+Q"))
        logout.triggered.connect(self._logout)

        self.tabs = named(QTabWidget(), "tabs")
        for title, screen in self._screens(self.actor):
            self.tabs.addTab(screen, title)
        self.setCentralWidget(self.tabs)
        self.setStatusBar(DeskStatusBar(desk, self))
        self.resize(1200, 800)

    def _screens(self, actor: Actor) -> Iterator[tuple[str, QWidget]]:
        # Imported here so each role loads only its own screens.
        if actor.role is Role.CLERK:
            from ui.enrolment import EnrolmentHome

            yield self.tr("Enrolment"), EnrolmentHome(self.desk)
        if actor.role is Role.SUPERVISOR:
            from ui.supervisor import BatchHome

            yield self.tr("Batches"), BatchHome(self.desk)
        if actor.role is Role.CARD_OPERATOR:
            from ui.card_station import CardStationHome

            yield self.tr("Card station"), CardStationHome(self.desk)
        if actor.role is Role.ADMINISTRATOR:
            from ui.admin import AdminPanel

            yield self.tr("Administration"), AdminPanel(self.desk)
        from ui.search import SearchPanel

        yield self.tr("Search"), SearchPanel(self.desk)
        if actor.role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
            from ui.supervisor import AlertsPanel

            yield self.tr("Delivery alerts"), AlertsPanel(self.desk)
            from ui.supervisor.reports import ReportPanel

            yield self.tr("Reports"), ReportPanel(self.desk)

    def end_session(self) -> None:
        """Before the window goes: open wizards close the way they would on Close (their
        drafts kept, their devices released), without asking."""
        for window in self.findChildren(QWidget):
            close = getattr(window, "close_keeping_draft", None)
            if callable(close) and window.isVisible():
                close()

    def _logout(self) -> None:
        self.logged_out.emit()
        self.close()
