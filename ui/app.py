"""``issuance-desk``: start the desk (migrating the database first), log in, show home.

The desk also delivers the outbox in a background thread, so messages to the registers go out
(and catch up after an outage) while the clerks work.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import threading
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QSize, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QStyle, QWidget

from issuance import logs
from issuance.bootstrap import bootstrap
from issuance.config import load_settings
from issuance.delivery import outbox
from issuance.delivery.registers import open_registers, outbox_handlers
from issuance.incidents import explain
from issuance.ports.devices import DeviceFactory
from issuance.security.permissions import Actor
from ui.context import DeskContext
from ui.home import HomeWindow
from ui.idle import IdleWatch
from ui.login import LoginWindow
from ui.workers import Jobs

log = logging.getLogger(__name__)


LANGUAGE_PROPERTY = "desk-language"


def translations_dir() -> Path:
    return Path(str(files("ui"))).parent / "resources" / "translations"


class DeskTranslator(QTranslator):
    """The desk's catalogue, falling back to ours of Qt's own strings (standard buttons,
    message boxes, the non-native file dialog): Qt ships no Albanian of its own. One
    translator, so removing it takes both away."""

    def __init__(self, parent: QCoreApplication) -> None:
        super().__init__(parent)
        self.qt = QTranslator(self)

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null string) is "not translated here": Qt then shows the source text; an
        # empty string would be shown as the translation.
        own = super().translate(context, source, disambiguation, n)
        return own or self.qt.translate(context, source, disambiguation, n) or None

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return super().isEmpty() and self.qt.isEmpty()


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    # What the excepthook speaks: it runs outside every window and knows no desk.
    app.setProperty(LANGUAGE_PROPERTY, language)
    # English is the source language: its catalogue holds only the plural forms ("1
    # application", "3 applications") and Qt's own strings need none.
    translator = DeskTranslator(app)
    translator.qt.load(QLocale(language), "qt", "_", str(translations_dir()))
    if translator.load(QLocale(language), "desk", "_", str(translations_dir())):
        app.installTranslator(translator)
        return translator
    log.warning("no translation for %s", language)
    return None


class Desk:
    """Keeps the current window; login, logout and a language change swap windows."""

    def __init__(self, desk: DeskContext, app: QCoreApplication | None = None) -> None:
        self.desk = desk
        self._app = app
        self._translator: QTranslator | None = None
        self._idle: IdleWatch | None = None
        self.window: QWidget | None = None
        if app is not None:
            self._translator = install_translator(app, desk.language)
        self.show_login()

    def show_login(self, reason: str = "") -> None:
        self._stop_idle_watch()
        if isinstance(self.window, HomeWindow):
            self.window.end_session()
        self.desk.actor = None
        login = LoginWindow(self.desk.ctx, self.desk.language, self.desk.jobs)
        login.logged_in.connect(self.show_home)
        login.language_changed.connect(self.change_language)
        login.message.setText(reason)
        self._swap(login)

    def _idle_logout(self) -> None:
        minutes = self.desk.settings.idle_logout_minutes
        self.show_login(
            QApplication.translate(
                "Desk", "Logged out after {minutes:g} minutes without activity; drafts are kept."
            ).format(minutes=minutes)
        )

    def _stop_idle_watch(self) -> None:
        if self._idle is not None:
            self._idle.stop()
            self._idle.deleteLater()
            self._idle = None

    def change_language(self, language: str) -> None:
        if self._app is not None:
            if self._translator is not None:
                self._app.removeTranslator(self._translator)
            self._translator = install_translator(self._app, language)
        self.desk.language = language
        self.show_login()

    def show_home(self, actor: Actor) -> None:
        self.desk.actor = actor
        home = HomeWindow(self.desk)
        home.logged_out.connect(self.show_login)
        self._swap(home)
        limit = self.desk.settings.idle_logout_minutes
        app = QApplication.instance()
        if limit > 0 and isinstance(app, QApplication):
            self._idle = IdleWatch(app, limit * 60, self.desk.jobs)
            self._idle.expired.connect(self._idle_logout)
        # Everything loaded so far lives as long as the desk; freezing it keeps full
        # collections (which scan the whole heap) from stalling the GUI thread later.
        gc.freeze()

    def _swap(self, window: QWidget) -> None:
        previous, self.window = self.window, window
        window.show()
        if previous is not None:
            previous.close()
            previous.deleteLater()  # a logged-out home keeps no screens (or faces) in memory


def _language() -> str:
    app = QApplication.instance()
    language = app.property(LANGUAGE_PROPERTY) if app is not None else None
    return language if isinstance(language, str) else "sq"


def show_unexpected(kind: type[BaseException], value: BaseException, tb: object) -> None:
    """sys.excepthook of the desk: an unexpected error is logged under an incident number and
    shown as an apology with that number, never a silent exit and never the exception's text.
    The box is not modal, so the clerk's work stays reachable behind it."""
    value.__traceback__ = value.__traceback__ or tb  # type: ignore[assignment]
    refusal = explain(value, "desk")
    if QApplication.instance() is None:
        return
    owner = QApplication.activeWindow() or next(
        (w for w in QApplication.topLevelWidgets() if w.isVisible()), None
    )
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QApplication.translate("Desk", "Unexpected error"),
        refusal.message(_language()),
        QMessageBox.StandardButton.Ok,
        owner,  # Qt keeps the box alive as the window's child
    )
    box.setObjectName("unexpected-error")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if owner is None:
        box.exec()  # no window to return to: wait for the operator to read it
    else:
        box.show()


# What a line edit keeps around its text besides the style's frame: Qt's own horizontal
# margin (2 px) on each side, and a little air so a placeholder never touches the frame.
LINE_EDIT_PADDING = 2 * 2 + 4


def placeholder_room(edit: QLineEdit) -> int:
    """Pixels the line edit's placeholder lacks to show whole (0 when it fits)."""
    text = edit.placeholderText()
    if not text or not edit.isVisible():
        return 0
    frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
    margins = edit.textMargins()
    need = (
        edit.fontMetrics().horizontalAdvance(text)
        + 2 * frame + margins.left() + margins.right() + LINE_EDIT_PADDING
    )  # fmt: skip
    return max(0, need - edit.width())


def save_screenshot(widget: QWidget, path: Path) -> QSize:
    """Save the whole top-level window of ``widget`` as PNG, laid out at a size where nothing is
    cut: at least its size hint, and wide enough for every line edit's placeholder (a window
    shown without a window manager keeps whatever size it was first given). Returns the size
    of the saved image."""
    window = widget.window()
    for _ in range(5):
        QApplication.processEvents()
        layout = window.layout()
        if layout is not None:
            layout.activate()
        size = window.size().expandedTo(window.sizeHint())
        lacking = max((placeholder_room(e) for e in window.findChildren(QLineEdit)), default=0)
        size.setWidth(size.width() + lacking)
        if size == window.size():
            break
        window.resize(size)
    QApplication.processEvents()
    image = window.grab()
    image.save(str(path))
    return image.size()


def main(argv: Sequence[str] | None = None, devices: DeviceFactory | None = None) -> int:
    """The desk's composition root: settings, database, devices, registers and the outbox
    worker are built here and nowhere else (``devices`` lets the demo add its backends)."""
    parser = argparse.ArgumentParser(prog="issuance-desk")
    parser.add_argument("--screenshot", type=Path, help="save the first window as PNG and quit")
    args = parser.parse_args(argv)
    logs.configure()
    settings = load_settings()
    if devices is None:
        from devices.factory import product_devices

        devices = product_devices()
    ctx = bootstrap(settings, devices=devices)
    registers = open_registers(settings)
    desk_context = DeskContext(
        ctx=ctx, registers=registers, language=settings.language, jobs=Jobs()
    )
    stop = threading.Event()
    worker = outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=4)
    delivery = threading.Thread(target=worker.run_forever, args=(stop,), name="outbox", daemon=True)
    delivery.start()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    sys.excepthook = show_unexpected
    desk = Desk(desk_context, app)
    if args.screenshot:

        def shoot() -> None:
            assert desk.window is not None
            save_screenshot(desk.window, args.screenshot)
            print(f"screenshot saved to {args.screenshot}")
            app.quit()

        QTimer.singleShot(500, shoot)
    try:
        return app.exec()
    finally:
        stop.set()
        delivery.join(timeout=5)
        registers.close()
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
