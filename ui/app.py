"""``issuance-desk``: start the desk (migrating the database first), log in, show home."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from issuance.bootstrap import Context, bootstrap
from issuance.config import load_settings
from issuance.permissions import Actor
from ui.home import HomeWindow
from ui.login import LoginWindow

log = logging.getLogger(__name__)


def translations_dir() -> Path:
    return Path(str(files("ui"))).parent / "resources" / "translations"


def install_translator(app: QApplication, language: str) -> QTranslator | None:
    if language == "en":
        return None
    translator = QTranslator(app)
    if translator.load(QLocale(language), "desk", "_", str(translations_dir())):
        app.installTranslator(translator)
        return translator
    log.warning("no translation for %s", language)
    return None


class Desk:
    """Keeps the current window; login and logout swap windows."""

    def __init__(self, ctx: Context, language: str) -> None:
        self.ctx, self.language = ctx, language
        self.window: QWidget | None = None
        self.show_login()

    def show_login(self) -> None:
        login = LoginWindow(self.ctx, self.language)
        login.logged_in.connect(self.show_home)
        self._swap(login)

    def show_home(self, actor: Actor) -> None:
        home = HomeWindow(actor, self.language)
        home.logged_out.connect(self.show_login)
        self._swap(home)

    def _swap(self, window: QWidget) -> None:
        previous, self.window = self.window, window
        window.show()
        if previous is not None:
            previous.close()


def _excepthook(kind: type[BaseException], value: BaseException, tb: object) -> None:
    # An unexpected error is logged and shown; the desk never vanishes silently.
    log.error("unexpected error", exc_info=(kind, value, tb))  # type: ignore[arg-type]
    if QApplication.instance() is not None:
        QMessageBox.critical(None, "Issuance", f"{kind.__name__}: {value}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="issuance-desk")
    parser.add_argument("--screenshot", type=Path, help="save the first window as PNG and quit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = load_settings()
    ctx = bootstrap(settings)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translator(app, settings.language)
    sys.excepthook = _excepthook
    desk = Desk(ctx, settings.language)
    if args.screenshot:

        def shoot() -> None:
            assert desk.window is not None
            desk.window.grab().save(str(args.screenshot))
            print(f"screenshot saved to {args.screenshot}")
            app.quit()

        QTimer.singleShot(500, shoot)
    try:
        return app.exec()
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
