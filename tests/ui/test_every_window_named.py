"""Every window of the desk, in Albanian and in English, walked widget by widget: no code of a
names table shows raw (labels, buttons, fields, lists, every cell of every table), and no two
controls of one screen share a mnemonic (Alt+letter). Qt's own buttons and its file dialog
speak Albanian in the Albanian desk, and counted texts take their plural form."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QWidget,
)

from issuance.biometrics.fingerprints import EXCEPTION_NAMES
from issuance.delivery.clients.fer import PERMIT_STATUS_NAMES, PERMIT_TYPE_NAMES
from issuance.domain.workflow import STATE_NAMES
from issuance.security.audit import ACTION_NAMES
from issuance.security.permissions import ROLE_NAMES
from issuance.services import batches
from issuance.services.enrolment import CARD_TYPE_NAMES, POSITION_NAMES
from tests.support.world import build_world, enrol_captured, enrol_complete
from ui.app import install_translator
from ui.context import DeskContext
from ui.enrolment import EnrolmentWizard
from ui.file_dialogs import open_file_dialog
from ui.home import HomeWindow
from ui.login import LoginWindow

WAIT = 15_000
LANGUAGES = ("sq", "en")

# The codes of the names tables, as a screen could show them raw.
CODES = {
    *PERMIT_TYPE_NAMES, *PERMIT_STATUS_NAMES, *CARD_TYPE_NAMES, *ACTION_NAMES, *POSITION_NAMES,
    *(str(getattr(k, "value", k)) for k in STATE_NAMES),
    *(str(getattr(k, "value", k)) for k in ROLE_NAMES),
    *(str(getattr(k, "value", k)) for k in EXCEPTION_NAMES),
}  # fmt: skip
CODE = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(c) for c in sorted(CODES, key=len, reverse=True))
    + r")(?![\w])"
)


# Codes spelled as their own Albanian name ("administrator" is Albanian too).
ALBANIAN_TOO = {
    code for table in (ROLE_NAMES, STATE_NAMES, EXCEPTION_NAMES, CARD_TYPE_NAMES)
    for key, (sq, _en) in table.items()
    if (code := str(getattr(key, "value", key))) == sq
}  # fmt: skip


def raw_codes(text: str, language: str) -> list[str]:
    """The codes in ``text``. A lower-case code of one plain word ("draft", "approved") is
    also an English word: it counts only on the Albanian desk (unless Albanian spells its
    name the same)."""
    return [
        code for code in CODE.findall(text)
        if code.isupper() or "_" in code or "." in code
        or (language == "sq" and code not in ALBANIAN_TOO)
    ]  # fmt: skip


def shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) or widget is window


def texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) of everything the window shows."""
    for w in [window, *window.findChildren(QWidget)]:
        if not shown(w, window):
            continue
        name = f"{type(w).__name__}#{w.objectName()}"
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
            yield name, w.text()
        if isinstance(w, QGroupBox):
            yield name, w.title()
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                yield name, w.itemText(i)
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield name, w.tabText(i)
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model keeps its one column private
                columns = 1
            for row in range(model.rowCount(QModelIndex())):
                for column in range(columns):
                    value = model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
                    if value is not None:
                        yield f"{name}[{row},{column}]", str(value)


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Mnemonic letter -> the controls of the window's visible screen that use it."""
    used: dict[str, list[str]] = defaultdict(list)
    for w in window.findChildren(QWidget):
        if not shown(w, window):
            continue
        candidates: list[str] = []
        if isinstance(w, QAbstractButton) and not isinstance(w, QToolButton):
            candidates.append(w.text())
        elif isinstance(w, QLabel) and w.buddy() is not None:
            candidates.append(w.text())
        elif isinstance(w, QGroupBox) and w.isCheckable():
            candidates.append(w.title())
        elif isinstance(w, QTabWidget):
            candidates += [w.tabText(i) for i in range(w.count())]
        for text in candidates:
            letter = mnemonic(text)
            if letter:
                used[letter].append(f"{type(w).__name__}#{w.objectName()} {text!r}")
    return used


def check_screen(window: QWidget, language: str, where: str) -> None:
    raw = [(w, t) for w, t in texts(window) if raw_codes(t, language)]
    assert raw == [], f"{where}: codes shown raw: {raw}"
    clashes = {k: v for k, v in mnemonics(window).items() if len(v) > 1}
    assert clashes == {}, f"{where}: one Alt+letter for two controls: {clashes}"


def stacked_pages(window: QWidget) -> Iterator[str]:
    """Each page of each stack (tabs, wizard steps) in turn, shown; yields its name."""
    for tabs in window.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            yield f"tab {tabs.tabText(i)!r}"
    for stack in window.findChildren(QStackedWidget):
        if isinstance(stack.parent(), QTabWidget):
            continue
        for i in range(stack.count()):
            stack.setCurrentIndex(i)
            yield f"page {i} of {stack.objectName()}"


@pytest.fixture(params=LANGUAGES)
def language(request, qapp):
    translator = install_translator(qapp, request.param)
    assert translator is not None, "a compiled catalogue is missing"
    yield request.param
    qapp.removeTranslator(translator)


@pytest.fixture
def world(ctx, console):
    """A clerk's draft, a submitted and an approved application: every list has rows, the
    permits coded as the register codes them (Kosovo as RKS)."""
    world = build_world(ctx, console, prefix="w")
    enrol_captured(
        ctx, world.clerk, coupon="PS-0001", permit_number="LQ0000001",
        permit_type="TEMPORARY_FAMILY", status="VALID", nationality="RKS",
    )  # fmt: skip
    enrol_complete(
        ctx, world.clerk, coupon="PS-0002", permit_number="LQ0000002",
        permit_type="TEMPORARY_WORK", status="VALID", nationality="XKX", mobile="0691234567",
    )  # fmt: skip
    approved = enrol_complete(
        ctx, world.clerk, coupon="PS-0003", permit_number="LQ0000003",
        permit_type="PERMANENT", status="VALID", nationality="RKS",
    )  # fmt: skip
    batches.approve(ctx, world.supervisor, approved)
    return world


def _settle(qtbot) -> None:
    """Let the screens' background loads land (each loads off the GUI thread)."""
    qtbot.wait(400)


def test_the_login_window(qtbot, ctx, language):
    window = LoginWindow(ctx, language)
    qtbot.addWidget(window)
    window.show()
    check_screen(window, language, "login")


@pytest.mark.parametrize("role", ["clerk", "supervisor", "card_operator", "administrator"])
def test_every_tab_of_every_role(qtbot, ctx, desk, world, language, role):
    actor = getattr(world, role)
    home = HomeWindow(DeskContext(ctx=ctx, registers=desk.registers, language=language,
                                  actor=actor))  # fmt: skip
    qtbot.addWidget(home)
    home.show()
    _settle(qtbot)
    check_screen(home, language, f"{role} home")
    for page in stacked_pages(home):
        _settle(qtbot)
        check_screen(home, language, f"{role} {page}")
    home.end_session()


def test_every_step_of_the_wizard(qtbot, ctx, desk, world, language, always_close):
    with ctx.uow() as uow:
        from issuance.db.models import Application

        draft = uow.session.query(Application).filter_by(state="biometrics_captured").one().id
    clerk_desk = DeskContext(ctx=ctx, registers=desk.registers, language=language,
                             actor=world.clerk)  # fmt: skip
    wizard = EnrolmentWizard(clerk_desk, draft)
    qtbot.addWidget(wizard)
    wizard.show()
    try:
        _walk_the_wizard(qtbot, wizard, language)
    finally:
        wizard.close_keeping_draft()


def _walk_the_wizard(qtbot, wizard: EnrolmentWizard, language: str) -> None:
    review = wizard.page("review")
    qtbot.waitUntil(lambda: wizard.current_step == "review", timeout=WAIT)
    qtbot.waitUntil(lambda: bool(review.values["card_type"].text().strip("—")), timeout=WAIT)
    for step in ("coupon", "permit", "photo", "fingerprints", "signature", "review"):
        wizard.stack.setCurrentIndex(wizard.pages.index(wizard.page(step)))
        check_screen(wizard, language, f"wizard step {step}")
    permit = wizard.page("permit")
    assert permit.fields["valid_until"].text() == "01.01.2028"  # dd.mm.yyyy, not ISO
    assert permit.fields["birth_date"].text() == "01.01.1990"
    kosovo = "Kosovare (RKS)" if language == "sq" else "Kosovar (RKS)"
    assert permit.fields["nationality"].text() == kosovo
    family = PERMIT_TYPE_NAMES["TEMPORARY_FAMILY"][LANGUAGES.index(language)]
    assert permit.fields["permit_type"].text() == family
    lek = "lekë" if language == "sq" else "lek"
    assert f"(6000 {lek})" in review.values["coupon"].text()


def test_every_dialog(qtbot, ctx, desk, world, language):
    from ui.card_station.dialogs import SpoilDialog
    from ui.enrolment.supervisor import SupervisorDialog
    from ui.revoke_card import RevokeCardDialog
    from ui.supervisor.detail import CancelDialog, RejectDialog

    supervisor_desk = DeskContext(ctx=ctx, registers=desk.registers, language=language,
                                  actor=world.supervisor)  # fmt: skip
    dialogs: list[QDialog] = [
        SpoilDialog("RP1234567"), SupervisorDialog(supervisor_desk),
        RevokeCardDialog("RP1234567", language), RejectDialog("TR-2026-000001"),
        CancelDialog("TR-2026-000001"),
    ]  # fmt: skip
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        check_screen(dialog, language, type(dialog).__name__)
        dialog.reject()


ALBANIAN_BUTTONS = {"&Po", "&Jo", "Anulo", "Në rregull", "Mbyll", "Ruaj", "Hap"}


def test_qt_s_own_buttons_and_file_dialog_follow_the_desk(qtbot, language):
    box = QMessageBox(
        QMessageBox.Icon.Question, "?", "?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Ok
        | QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Open,
    )  # fmt: skip
    qtbot.addWidget(box)
    words = {b.text() for b in box.buttons()}
    english = {"&Yes", "&No", "Cancel", "OK", "Close", "Save", "Open"}
    assert words == (ALBANIAN_BUTTONS if language == "sq" else english)

    dialog = open_file_dialog(None, "?", "", "PDF (*.pdf);;All files (*)")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    shown_texts = {t for _, t in texts(dialog)}
    tips = {b.toolTip() for b in dialog.findChildren(QToolButton) if b.isVisibleTo(dialog)}
    if language == "sq":
        assert {"&Shiko në:", "&Emri i skedarit:", "&Lloji i skedarëve:", "&Hap",
                "Anulo"} <= shown_texts  # fmt: skip
        assert {"Prapa", "Përpara", "Dosja mëmë", "Krijo dosje të re"} <= tips
        headers = dialog.findChild(QAbstractItemView, "treeView").model()
        assert [headers.headerData(i, Qt.Orientation.Horizontal) for i in range(4)] == [
            "Emri", "Madhësia", "Lloji", "Ndryshuar më",
        ]  # fmt: skip
    else:
        assert {"&Look in:", "File &name:", "&Open", "Cancel"} <= shown_texts
    clashes = {k: v for k, v in mnemonics(dialog).items() if len(v) > 1}
    assert clashes == {}
    dialog.reject()


def test_the_desk_s_file_dialogs_are_qt_s_own():
    """A native dialog would ignore the desk's language: no screen calls the static helpers
    (native by default), and every file that makes a QFileDialog makes it non-native."""
    from pathlib import Path

    import ui

    static = re.compile(r"QFileDialog\.get(Open|Save|Existing)\w*\(")
    for path in Path(ui.__file__).parent.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not static.search(source), path
        if "QFileDialog(" in source:
            assert "DontUseNativeDialog" in source, path


@pytest.mark.parametrize(
    ("language", "one", "three"),
    [("sq", "U gjet 1 aplikim.", "U gjetën 3 aplikime."),
     ("en", "1 application found.", "3 applications found.")],
)  # fmt: skip
def test_counted_texts_take_their_plural_form(qapp, language, one, three):
    translator = install_translator(qapp, language)
    assert translator is not None
    try:
        say = QCoreApplication.translate
        assert say("SearchPanel", "%n application(s) found.", "", 1) == one
        assert say("SearchPanel", "%n application(s) found.", "", 3) == three
    finally:
        qapp.removeTranslator(translator)


def test_untranslated_texts_stay_in_english_never_blank(qapp):
    translator = install_translator(qapp, "sq")
    assert translator is not None
    try:
        assert QCoreApplication.translate("Nowhere", "Not in any catalogue") == (
            "Not in any catalogue"
        )
    finally:
        qapp.removeTranslator(translator)
