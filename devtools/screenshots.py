"""``make screenshots``: every main screen of the desk, in Albanian and English, as PNG.

Runs the demo stack (stand-in registers, SBI simulator, demo camera clip, virtual card) on a
fresh database in a temporary folder, fills the queues with demo applications, then opens each
screen as the operator who uses it and grabs it once its workers have loaded the data. Needs a
real X server (``xvfb-run`` in the Makefile): the grabs are what a person would see.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QTableView, QWidget

from devtools.backends import development_devices
from devtools.demo import seeding as demo
from devtools.demo import stack as demo_stack
from issuance.bootstrap import Context, bootstrap
from issuance.config import Settings
from issuance.delivery import outbox
from issuance.delivery.registers import open_registers, outbox_handlers
from issuance.security.permissions import Actor
from ui.app import install_translator
from ui.context import DeskContext
from ui.home import HomeWindow
from ui.login import LoginWindow

if TYPE_CHECKING:
    from ui.admin import AdminPanel
    from ui.card_station import CardStationHome
    from ui.enrolment import EnrolmentHome
    from ui.search import SearchPanel
    from ui.supervisor import AlertsPanel, BatchHome
    from ui.supervisor.reports import ReportPanel

Shown = TypeVar("Shown", bound=QWidget)
SIZE = (1280, 800)
# The demo operators of office TR, who enrolled and approved the demo applications.
SCREEN_OPERATORS = {
    "clerk": demo.DEMO_CLERK,
    "supervisor": demo.DEMO_SUPERVISOR,
    "card_operator": "drita",
    "administrator": "admin",
}
SETTLE_S = 2.5  # long enough for the screens' workers (queries, thumbnails, health checks)


def settle(seconds: float = SETTLE_S) -> None:
    """Let the event loop deliver the workers' results before grabbing."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not load its data in time")
        QCoreApplication.processEvents()
        time.sleep(0.02)


def select_first_row(view: QTableView) -> None:
    wait_for(lambda: view.model().rowCount() > 0)
    view.selectRow(0)
    view.setCurrentIndex(view.model().index(0, 0))


def close_confirming(window: QWidget) -> None:
    """Close as the clerk does: the wizard asks whether to keep the draft; answer yes."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes).click()
        else:
            QTimer.singleShot(50, answer)

    QTimer.singleShot(50, answer)
    window.close()
    wait_for(lambda: not window.isVisible())


class Shooter:
    def __init__(self, out_dir: Path, language: str) -> None:
        self.out_dir, self.language = out_dir, language
        self.saved: list[Path] = []

    def grab(self, window: QWidget, name: str) -> None:
        settle()
        self._save(window.grab(), name)

    def grab_screen(self, window: QWidget, name: str) -> None:
        """What the X server shows where the window is: with the dialogs over it."""
        settle()
        frame = window.frameGeometry()
        screen = window.screen()
        self._save(screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()),
                   name)  # fmt: skip

    def _save(self, picture: QPixmap, name: str) -> None:
        path = self.out_dir / f"{name}-{self.language}.png"
        if not picture.save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(path)
        print(f"  {path}")


@contextmanager
def shown(window: Shown) -> Iterator[Shown]:
    window.resize(*SIZE)
    window.show()
    try:
        yield window
    finally:
        window.close()
        window.deleteLater()
        settle(0.2)


def tab_of(home: HomeWindow, kind: str) -> QWidget:
    """The home window's screen of class ``kind`` (tabs differ by role and move as screens
    are added)."""
    for n in range(home.tabs.count()):
        screen = home.tabs.widget(n)
        if screen is not None and type(screen).__name__ == kind:
            return screen
    raise LookupError(kind)


def shoot_language(shooter: Shooter, ctx: Context, desk_for: Callable[[str], DeskContext]) -> None:
    with shown(LoginWindow(ctx, shooter.language)) as login:
        shooter.grab(login, "01-login")

    clerk = desk_for("clerk")
    with shown(HomeWindow(clerk)) as home:
        enrolment = cast("EnrolmentHome", home.tabs.widget(0))
        wait_for(lambda: enrolment.drafts_model.rowCount() > 0)
        shooter.grab(home, "02-clerk-home")
        enrolment._open(enrolment.drafts_model.rows[0].application_id)
        wizard = enrolment.wizard
        assert wizard is not None, "the draft did not open in a wizard"
        wizard.resize(*SIZE)
        settle(4.0)  # the demo camera's frames reach the live preview
        shooter.grab(wizard, "03-enrolment-photo")
        close_confirming(wizard)

    with shown(HomeWindow(desk_for("supervisor"))) as home:
        batches = cast("BatchHome", home.tabs.widget(0))
        select_first_row(batches.batch_list)
        select_first_row(batches.table)
        shooter.grab(home, "04-supervisor-batch")
        batches.approve_all_remaining()  # the confirmation, with the count; answered No
        wait_for(lambda: batches.confirm_box is not None and batches.confirm_box.isVisible())
        shooter.grab_screen(home, "09-approve-all-confirmation")
        box = batches.confirm_box
        assert box is not None
        box.button(QMessageBox.StandardButton.No).click()
        wait_for(lambda: batches.confirm_box is None)
        alerts = cast("AlertsPanel", tab_of(home, "AlertsPanel"))  # the delivery alerts
        home.tabs.setCurrentWidget(alerts)
        wait_for(lambda: alerts.model.rowCount() > 0)
        select_first_row(alerts.table)
        shooter.grab(home, "11-delivery-alert")
        report = cast("ReportPanel", tab_of(home, "ReportPanel"))  # the office's report
        home.tabs.setCurrentWidget(report)
        wait_for(lambda: report.report is not None)
        settle(1.0)  # the charts draw their bars
        shooter.grab(home, "12-office-report")

    with shown(HomeWindow(desk_for("card_operator"))) as home:
        station = cast("CardStationHome", home.tabs.widget(0))
        select_first_row(station.queue)
        shooter.grab(home, "05-card-station")
        if station.handover_model.rowCount() == 0:  # the first language makes one card
            station.produce_button.click()
            try:
                wait_for(lambda: station.producing is None
                         and station.handover_model.rowCount() > 0, 120)  # fmt: skip
            except TimeoutError as exc:
                raise TimeoutError(f"no card made: {station.message.text()}") from exc
        select_first_row(station.handover)
        wait_for(lambda: not station.enrolment_photo.pixmap().isNull())
        station.read_chip_photo()  # the card just made is still in the reader
        wait_for(lambda: not station.chip_photo.pixmap().isNull(), 30)
        shooter.grab(home, "10-card-handover")

    with shown(HomeWindow(desk_for("administrator"))) as home:
        admin = cast("AdminPanel", home.tabs.widget(0))
        shooter.grab(home, "06-administration")
        admin.tabs.setCurrentWidget(admin.devices)
        for row in admin.devices.checks.values():
            row.run()  # every Test button, as the administrator would press them
        wait_for(lambda: all(row.button.isEnabled() for row in admin.devices.checks.values()))
        shooter.grab(home, "07-devices-and-services")
        home.tabs.setCurrentIndex(1)
        search = cast("SearchPanel", home.tabs.widget(1))
        search.box.setText("cela")
        search.run_search()
        select_first_row(search.results)
        search.open_result(search.results.model().index(0, 0))
        shooter.grab(home, "08-search-and-history")


def stage_delivery_alert(ctx: Context, stack: demo_stack.DemoStack) -> None:
    """One approved resident whom the civil registry already holds under another spelling of
    the given name: its delivery ends in an alert for the supervisor."""
    from sqlalchemy import select

    from issuance.db.models import OutboxMessage
    from issuance.delivery import civil_registry

    assert stack.sandbox is not None
    with ctx.read() as uow:
        message = uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.topic == civil_registry.TOPIC)
            .order_by(OutboxMessage.id.desc()).limit(1)  # the queue's first card stays ready
        ).scalar_one()
        person, nid = dict(message.payload["person"]), message.payload["nid"]
    given = person["identities"][0]["biographicData"]["firstName"]
    stack.sandbox.civil_registry.hold_spelled_otherwise(nid, person, strip_marks(given))


def strip_marks(text: str) -> str:
    """"Ëndrit" as an older record would spell it: "Endrit"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain if plain != text else text + "a"


def run(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="desk-screenshots-") as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/desk.sqlite")
        ctx = bootstrap(settings)
        demo.seed(ctx, Actor.console("screenshots"))
        ctx.close()
        with demo_stack.running(settings) as stack:
            demo_stack.seed_queues_once(stack)
            ctx = bootstrap(stack.settings, devices=development_devices())
            registers = open_registers(stack.settings)
            stage_delivery_alert(ctx, stack)
            # As the running desk's outbox thread would have done by now.
            outbox.OutboxWorker(ctx, outbox_handlers(registers)).run_until_idle()
            actors = {
                role: demo.acting_as(ctx, username) for role, username in SCREEN_OPERATORS.items()
            }
            try:
                for language in ("sq", "en"):
                    translator = install_translator(app, language)
                    shooter = Shooter(out_dir, language)

                    def desk_for(role: str, language: str = language) -> DeskContext:
                        return DeskContext(ctx, registers, language, actors[role])

                    shoot_language(shooter, ctx, desk_for)
                    saved += shooter.saved
                    if translator is not None:
                        app.removeTranslator(translator)
            finally:
                registers.close()
                ctx.close()
    QTimer.singleShot(0, app.quit)
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.screenshots")
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    saved = run(args.out_dir)
    print(f"{len(saved)} screenshots in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
