"""The desk opens, logs in through the real services (off the GUI thread) and shows home."""

from __future__ import annotations

import dataclasses
import re

import pyotp
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from issuance.db.models import Application
from issuance.security.permissions import Actor, Role
from tests.support.world import PASSWORD, SUPERVISOR_SECRET, build_world
from ui.app import Desk
from ui.home import HomeWindow
from ui.login import LoginWindow


def _type_login(qtbot, login, username, password, code=""):
    login.username.setText(username)
    login.password.setText(password)
    login.code.setText(code)
    qtbot.mouseClick(login.submit, Qt.MouseButton.LeftButton)


@pytest.fixture
def albanian_desk(qapp, desk):
    desk.language = "sq"
    running = Desk(desk, qapp)
    yield running
    running.change_language("en")  # removes the Albanian translator for the next tests
    running.window.close()


def test_clerk_logs_in_and_sees_home_in_albanian(qtbot, ctx, console, albanian_desk):
    build_world(ctx, console)
    login = albanian_desk.window
    assert isinstance(login, LoginWindow)
    assert login.windowTitle() == "Kartat e qëndrimit — hyrja"
    _type_login(qtbot, login, "clerk", PASSWORD)
    qtbot.waitUntil(lambda: isinstance(albanian_desk.window, HomeWindow), timeout=10_000)
    home = albanian_desk.window
    greeting = home.findChild(QLabel, "greeting").text()
    assert greeting == "Jeni identifikuar si clerk (nëpunës pranimi)"
    tabs = [home.tabs.tabText(i) for i in range(home.tabs.count())]
    assert tabs == ["Pranimi", "Kërkimi"]


def test_language_switch_changes_the_visible_texts(qtbot, ctx, console, albanian_desk):
    build_world(ctx, console)
    login = albanian_desk.window
    assert login.submit.text() == "Hyr"
    login.language.setCurrentIndex(1)  # English
    english = albanian_desk.window
    assert english is not login and english.submit.text() == "Log in"
    assert english.windowTitle() == "Residence cards — login"


@pytest.mark.parametrize(
    "username,role,tabs",
    [("supervisor", Role.SUPERVISOR, ["Batches", "Search", "Delivery alerts", "Reports"]),
     ("card_operator", Role.CARD_OPERATOR, ["Card station", "Search"]),
     ("administrator", Role.ADMINISTRATOR,
      ["Administration", "Search", "Delivery alerts", "Reports"])],
)  # fmt: skip
def test_each_role_gets_its_own_home(qtbot, qapp, ctx, console, clock, desk, username, role,
                                     tabs):  # fmt: skip
    build_world(ctx, console)
    running = Desk(desk, qapp)
    secret = {"supervisor": SUPERVISOR_SECRET}.get(username)
    code = pyotp.TOTP(secret).at(clock.now) if secret else ""
    if username == "administrator":
        from tests.support.world import ADMIN_SECRET

        code = pyotp.TOTP(ADMIN_SECRET).at(clock.now)
    _type_login(qtbot, running.window, username, PASSWORD, code)
    qtbot.waitUntil(lambda: isinstance(running.window, HomeWindow), timeout=10_000)
    home = running.window
    assert home.actor.role is role
    assert [home.tabs.tabText(i) for i in range(home.tabs.count())] == tabs
    running.window.close()


def test_wrong_password_is_explained(qtbot, ctx, console):
    build_world(ctx, console)
    login = LoginWindow(ctx, "en")
    qtbot.addWidget(login)
    _type_login(qtbot, login, "clerk", "Wrong-pass1")
    qtbot.waitUntil(lambda: "Wrong" in login.message.text(), timeout=10_000)
    assert "2 attempt" in login.message.text()
    assert login.password.text() == "" and login.submit.isEnabled()


def test_lockout_says_until_when_in_tirana_time(qtbot, ctx, console, clock):
    build_world(ctx, console)
    login = LoginWindow(ctx, "sq")
    qtbot.addWidget(login)
    for attempt in range(3):
        _type_login(qtbot, login, "clerk", f"Wrong-pass{attempt}")
        qtbot.waitUntil(login.submit.isEnabled, timeout=10_000)
    # Locked at 09:00 UTC for three hours: 13:00 on the office's clock (CET in November).
    assert "e bllokuar deri në 23.11.2026 13:00" in login.message.text()
    _type_login(qtbot, login, "clerk", PASSWORD)  # even the right password waits
    qtbot.waitUntil(login.submit.isEnabled, timeout=10_000)
    assert "13:00" in login.message.text()


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


def test_login_does_not_block_the_gui_thread(qtbot, ctx, console, gui_watchdog):
    build_world(ctx, console)
    gui_watchdog.start()  # measure the login, not the set-up
    login = LoginWindow(ctx, "en")
    qtbot.addWidget(login)
    _type_login(qtbot, login, "clerk", PASSWORD)
    # The click returned before argon2 finished: the button is disabled while the worker runs.
    assert not login.submit.isEnabled()
    qtbot.waitUntil(login.submit.isEnabled, timeout=10_000)
    assert gui_watchdog.longest_ms < 100


def test_status_bar_shows_registers_devices_and_outbox(
    qtbot, ctx, console, desk, sandbox, tmp_path
):
    from devtools.portraits import write_demo_frames
    from ui.status import DeskStatusBar

    camera = write_demo_frames(str(tmp_path / "clip"), count=2)
    settings = dataclasses.replace(
        ctx.settings, camera=camera, fingerprint_scanner="sbi:127.0.0.1:9"
    )
    desk.ctx = dataclasses.replace(ctx, settings=settings)
    desk.actor = Actor("clerk", Role.CLERK)
    bar = DeskStatusBar(desk)
    qtbot.addWidget(bar)
    # The clerk's devices are watched, the card operator's are not.
    assert set(bar.labels) == {
        "voucher",
        "fer",
        "civil-registry",
        "notification",
        "camera",
        "fingerprint",
        "receipt-printer",
    }
    qtbot.waitUntil(lambda: "Outbox" in bar.backlog.text(), timeout=10_000)
    assert bar.labels["fer"].property("level") == "ok"
    assert bar.labels["camera"].property("level") == "ok"
    assert bar.labels["fingerprint"].property("level") == "down"
    assert bar.labels["receipt-printer"].property("level") == "ok"  # the default folder
    assert "0 waiting" in bar.backlog.text()
    sandbox.suspend("fer")
    bar.refresh()
    qtbot.waitUntil(lambda: bar.labels["fer"].property("level") == "down", timeout=10_000)
    assert "unreachable" in bar.labels["fer"].toolTip()
    sandbox.resume("fer")


def test_unexpected_error_is_logged_and_shown_without_blocking(qtbot, qapp, caplog):
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui.app import LANGUAGE_PROPERTY, show_unexpected

    previous = qapp.property(LANGUAGE_PROPERTY)
    qapp.setProperty(LANGUAGE_PROPERTY, "sq")
    window = QLabel("the clerk's work")
    qtbot.addWidget(window)
    window.show()
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as exc:
        show_unexpected(type(exc), exc, exc.__traceback__)
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "unexpected-error"]
    assert len(boxes) == 1 and boxes[0].isVisible()
    shown = boxes[0].text()
    assert isinstance(boxes[0], QMessageBox)
    # An apology with an incident number; the exception's words stay in the log.
    assert "disk on fire" not in shown and "RuntimeError" not in shown
    number = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}", shown)
    assert number is not None and "Na vjen keq" in shown
    logged = [r for r in caplog.records if r.exc_info and "disk on fire" in str(r.exc_info[1])]
    assert logged and number.group() in logged[0].getMessage()
    boxes[0].close()
    qapp.setProperty(LANGUAGE_PROPERTY, previous)


def test_a_failing_worker_reports_back_and_logs_only_what_is_unexpected(qtbot, caplog):
    from issuance.services.operators import InvalidCredentials
    from ui.workers import Jobs

    failures: list[Exception] = []

    class Receiver(QLabel):
        def failed(self, error: Exception) -> None:
            failures.append(error)

    receiver = Receiver()
    qtbot.addWidget(receiver)

    def boom() -> None:
        raise KeyError("bug")

    def refused() -> None:
        raise InvalidCredentials(2)

    jobs = Jobs()
    jobs.run(boom, receiver.failed, receiver.failed)
    qtbot.waitUntil(lambda: len(failures) == 1, timeout=5_000)
    jobs.run(refused, receiver.failed, receiver.failed)
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=5_000)
    logged = [r for r in caplog.records if r.exc_info]
    assert [type(r.exc_info[1]) for r in logged] == [KeyError]
    # The incident the log names is the one the failure carries to the screen.
    from issuance.incidents import explain

    assert explain(failures[0]).incident in logged[0].getMessage()  # type: ignore[attr-defined]


def test_an_idle_desk_logs_out_and_keeps_the_open_draft(
    qtbot, qapp, ctx, console, desk, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.enrolment_steps import coupon_and_permit
    from ui.idle import IdleWatch

    asked: list[object] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No
    )
    world = build_world(ctx, console)
    ctx.settings = dataclasses.replace(ctx.settings, idle_logout_minutes=0.02)  # 1.2 s
    running = Desk(desk, qapp)
    running.show_home(world.clerk)
    home = running.window
    enrolment = home.tabs.widget(0)
    qtbot.mouseClick(enrolment.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: enrolment.wizard is not None, timeout=10_000)
    wizard = enrolment.wizard
    coupon_and_permit(qtbot, ctx, wizard, refused_first=False)  # a draft now exists
    closed: list[bool] = []
    wizard.closed.connect(lambda: closed.append(True))

    # Typing keeps the desk open past the limit.
    for _ in range(8):
        qtbot.keyClick(wizard, Qt.Key.Key_Shift)
        qtbot.wait(200)
    assert running.window is home
    qtbot.waitUntil(lambda: isinstance(running.window, LoginWindow), timeout=10_000)
    assert "1.2 minutes" not in running.window.message.text()  # minutes, as configured
    assert "0.02 minutes without activity" in running.window.message.text()
    assert closed == [True] and asked == []  # closed the Close way, without asking
    with ctx.uow() as uow:
        [draft] = uow.session.execute(select(Application)).scalars().all()
    assert draft.state == "permit_linked" and desk.actor is None
    assert not any(isinstance(o, IdleWatch) for o in qapp.children())
    running.window.close()
