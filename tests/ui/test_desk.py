"""The desk opens, logs in through the real services (off the GUI thread) and shows home."""

from __future__ import annotations

import pyotp
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from tests.support.world import PASSWORD, SUPERVISOR_SECRET, build_world
from ui.app import Desk, install_translator
from ui.home import HomeWindow
from ui.login import LoginWindow


@pytest.fixture
def albanian(qapp):
    translator = install_translator(qapp, "sq")
    assert translator is not None, "resources/translations/desk_sq.qm must load"
    yield
    qapp.removeTranslator(translator)


def _type_login(qtbot, login, username, password, code=""):
    login.username.setText(username)
    login.password.setText(password)
    login.code.setText(code)
    qtbot.mouseClick(login.submit, Qt.MouseButton.LeftButton)


def test_clerk_logs_in_and_sees_home(qtbot, ctx, console, albanian):
    build_world(ctx, console)
    desk = Desk(ctx, "sq")
    login = desk.window
    assert isinstance(login, LoginWindow)
    qtbot.addWidget(login)
    assert login.windowTitle() == "Kartat e qëndrimit — hyrja"
    _type_login(qtbot, login, "clerk", PASSWORD)
    qtbot.waitUntil(lambda: isinstance(desk.window, HomeWindow), timeout=10_000)
    home = desk.window
    qtbot.addWidget(home)
    greeting = home.findChild(QLabel, "greeting").text()
    assert greeting == "Jeni identifikuar si clerk (nëpunës pranimi)"


def test_wrong_password_is_explained_in_albanian(qtbot, ctx, console, albanian):
    build_world(ctx, console)
    login = LoginWindow(ctx, "sq")
    qtbot.addWidget(login)
    _type_login(qtbot, login, "clerk", "Wrong-pass1")
    qtbot.waitUntil(lambda: "gabuar" in login.message.text(), timeout=10_000)
    assert "2 përpjekje" in login.message.text()
    assert login.password.text() == "" and login.submit.isEnabled()


def test_supervisor_is_asked_for_the_code(qtbot, ctx, console, clock):
    build_world(ctx, console)
    login = LoginWindow(ctx, "en")
    qtbot.addWidget(login)
    logged = []
    login.logged_in.connect(logged.append)
    _type_login(qtbot, login, "supervisor", PASSWORD)
    qtbot.waitUntil(lambda: "6-digit" in login.message.text(), timeout=10_000)
    code = pyotp.TOTP(SUPERVISOR_SECRET).at(clock.now)
    _type_login(qtbot, login, "supervisor", PASSWORD, code)
    qtbot.waitUntil(lambda: bool(logged), timeout=10_000)
    assert logged[0].username == "supervisor"


def test_login_does_not_block_the_gui_thread(qtbot, ctx, console):
    build_world(ctx, console)
    login = LoginWindow(ctx, "en")
    qtbot.addWidget(login)
    _type_login(qtbot, login, "clerk", PASSWORD)
    # The click returned before argon2 finished: the button is disabled while the worker runs.
    assert not login.submit.isEnabled()
    assert QApplication.instance() is not None
    qtbot.waitUntil(login.submit.isEnabled, timeout=10_000)
