"""Every screen, every kind of failure: what the operator reads is a sentence in their language.

Failures are injected for real where a real part can fail (a register that answers 404, 500 or
nothing, a closed port, a card reader that is not there) and by making a service raise what the
database driver raises (a constraint, an unreachable server) where the database cannot be
broken on purpose mid-test. Each shown text passes tests.support.operator_text: no exception
name, SQL, snake_case or UPPER_CASE code, and no English in the Albanian desk.
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from issuance.services import batches, coupons, permits
from tests.support.db_failures import integrity_error, unreachable_database
from tests.support.faulty_http import faulty_server
from tests.support.operator_text import assert_operator_text
from tests.support.pcsc import pcscd
from tests.support.registers import registers_for
from tests.support.world import build_world, enrol_complete
from tests.ui.enrolment_steps import WAIT, desk_for_clerk, open_wizard, press_enter
from ui.app import install_translator
from ui.context import DeskContext
from ui.enrolment import EnrolmentHome
from ui.search import SearchPanel
from ui.supervisor import BatchHome

REGISTERS = ("voucher", "fer", "civil-registry", "notification")
__all__ = ["pcscd"]  # the real pcscd fixture, for the card station


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def _raise(error: Exception):
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    return fail


@contextmanager
def speaking(qapp, language: str) -> Iterator[None]:
    translator = install_translator(qapp, language)
    try:
        yield
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)


def shown_texts(window: QWidget) -> list[str]:
    """What the operator can read in the window: labels, buttons, tool tips, open boxes."""
    widgets = [*window.findChildren(QLabel), *window.findChildren(QAbstractButton)]
    texts = [w.text() for w in widgets if w.isVisible() and w.text().strip()]
    texts += [w.toolTip() for w in widgets if w.isVisible() and w.toolTip().strip()]
    for top in QApplication.topLevelWidgets():
        if top.isVisible() and top.objectName() == "unexpected-error":
            texts.append(top.text())  # type: ignore[attr-defined]
    return texts


def assert_window_speaks(window: QWidget, language: str) -> None:
    for text in shown_texts(window):
        assert_operator_text(text, language)


# -- the clerk's coupon and permit steps: registers that fail every way ------------------


FAULTS = {
    "404 page": {"status": 404},
    "500 with a traceback": {"status": 500, "body": "Traceback (most recent call last): KeyError"},
    "503 JSON": {"status": 503, "body": '{"code": "SERVICE_DOWN"}',
                 "content_type": "application/json"},
    "no answer in time": {"status": 200, "delay": 3.0},
}  # fmt: skip


def _clerk_desk(desk: DeskContext, console, urls: dict[str, str], language: str) -> DeskContext:
    clerk_desk = desk_for_clerk(desk, console, camera="file:/nonexistent/%03d.png")
    registers = registers_for(urls, read_timeout=1.0, connect_timeout=1.0)
    return dataclasses.replace(clerk_desk, registers=registers, language=language)


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("language", ["sq", "en"])
def test_coupon_step_when_the_post_office_fails(
    qtbot, qapp, desk, console, sandbox, fault, language
):
    with speaking(qapp, language), faulty_server(**FAULTS[fault]) as url:
        clerk = _clerk_desk(desk, console, {**sandbox.urls(), "voucher": url}, language)
        home, wizard, coupon = _coupon_answered(qtbot, clerk)
        assert wizard.current_step == "coupon" and not wizard.next_button.isEnabled()
        assert_window_speaks(wizard, language)
        clerk.registers.close()


@pytest.mark.parametrize("language", ["sq", "en"])
def test_coupon_step_when_the_post_office_is_down(qtbot, qapp, desk, console, sandbox, language):
    with speaking(qapp, language):
        clerk = _clerk_desk(desk, console, {**sandbox.urls(), "voucher": _closed_port_url()},
                            language)  # fmt: skip
        home, wizard, coupon = _coupon_answered(qtbot, clerk)
        assert_window_speaks(wizard, language)
        clerk.registers.close()


@pytest.mark.parametrize(
    "error", [integrity_error, unreachable_database, lambda: RuntimeError("bug in a service")]
)
@pytest.mark.parametrize("language", ["sq", "en"])
def test_coupon_step_when_the_database_fails(
    qtbot, qapp, desk, console, sandbox, monkeypatch, error, language
):
    monkeypatch.setattr(coupons, "open_with_coupon", _raise(error()))
    with speaking(qapp, language):
        clerk = _clerk_desk(desk, console, sandbox.urls(), language)
        home, wizard, coupon = _coupon_answered(qtbot, clerk)
        assert_window_speaks(wizard, language)
        assert "-" in coupon.verdict.text()  # the incident number, for the administrator
        clerk.registers.close()


@pytest.mark.parametrize("fault", ["404 page", "500 with a traceback", "no answer in time"])
@pytest.mark.parametrize("language", ["sq", "en"])
def test_permit_step_when_the_foreigners_register_fails(
    qtbot, qapp, desk, console, sandbox, fault, language
):
    with speaking(qapp, language), faulty_server(**FAULTS[fault]) as url:
        clerk = _clerk_desk(desk, console, {**sandbox.urls(), "fer": url}, language)
        home, wizard, permit = _permit_answered(qtbot, clerk)
        assert not permit.is_complete()
        assert_window_speaks(wizard, language)
        clerk.registers.close()


@pytest.mark.parametrize("language", ["sq", "en"])
def test_permit_step_when_the_database_fails(
    qtbot, qapp, desk, console, sandbox, monkeypatch, language
):
    monkeypatch.setattr(permits, "pull_permit", _raise(unreachable_database()))
    with speaking(qapp, language):
        clerk = _clerk_desk(desk, console, sandbox.urls(), language)
        home, wizard, permit = _permit_answered(qtbot, clerk)
        assert_window_speaks(wizard, language)
        clerk.registers.close()


def _coupon_answered(qtbot, clerk: DeskContext) -> tuple[EnrolmentHome, Any, Any]:
    """The wizard, once the post office answered (or failed to answer) for a paid coupon; the
    home is returned too: the wizard lives as long as it does."""
    home = _home(qtbot, clerk)
    wizard = open_wizard(qtbot, home)
    coupon = wizard.page("coupon")
    qtbot.keyClicks(coupon.code, "PSH10000001")
    press_enter(qtbot, coupon.code)
    qtbot.waitUntil(lambda: not coupon._busy and bool(coupon.verdict.text()), timeout=WAIT)
    return home, wizard, coupon


def _permit_answered(qtbot, clerk: DeskContext) -> tuple[EnrolmentHome, Any, Any]:
    """The wizard, once FER answered (or failed to answer) for a permit, the coupon valid."""
    home, wizard, coupon = _coupon_answered(qtbot, clerk)
    assert wizard.next_button.isEnabled(), coupon.verdict.text()
    press_enter(qtbot, coupon.code)
    qtbot.waitUntil(lambda: wizard.current_step == "permit", timeout=WAIT)
    permit = wizard.page("permit")
    qtbot.keyClicks(permit.permit_number, "RP20240001")
    press_enter(qtbot, permit.permit_number)
    qtbot.waitUntil(lambda: not permit._busy and bool(permit.message.text()), timeout=WAIT)
    return home, wizard, permit


def _home(qtbot, clerk: DeskContext) -> EnrolmentHome:
    home = EnrolmentHome(clerk)
    qtbot.addWidget(home)
    return home


# -- search: a permission refused -------------------------------------------------------


@pytest.mark.parametrize("language", ["sq", "en"])
def test_search_history_refused_to_a_card_operator(qtbot, qapp, ctx, console, desk, language):
    world = build_world(ctx, console)
    enrol_complete(ctx, world.clerk)
    with speaking(qapp, language):
        panel = SearchPanel(dataclasses.replace(desk, actor=world.card_operator,
                                                language=language))  # fmt: skip
        qtbot.addWidget(panel)
        panel.show()
        qtbot.keyClicks(panel.box, "cela")
        qtbot.waitUntil(lambda: panel.history_message.text() != "", timeout=WAIT)
        assert panel.history_model.rowCount() == 0
        assert_window_speaks(panel, language)


# -- the supervisor: the database fails while approving ----------------------------------


@pytest.mark.parametrize("error", [unreachable_database, integrity_error])
@pytest.mark.parametrize("language", ["sq", "en"])
def test_approval_when_the_database_fails(
    qtbot, qapp, ctx, console, desk, monkeypatch, error, language
):
    world = build_world(ctx, console)
    enrol_complete(ctx, world.clerk)
    monkeypatch.setattr(batches, "approve", _raise(error()))
    with speaking(qapp, language):
        home = BatchHome(dataclasses.replace(desk, actor=world.supervisor,
                                             language=language))  # fmt: skip
        qtbot.addWidget(home)
        home.resize(1200, 800)
        home.show()
        qtbot.waitUntil(lambda: home.table_model.rowCount() == 1, timeout=WAIT)
        home.table.selectRow(0)
        qtbot.waitUntil(lambda: home.approve_button.isEnabled(), timeout=WAIT)
        home.approve_button.click()
        qtbot.waitUntil(lambda: not home._busy and bool(home.message.text()), timeout=WAIT)
        assert [r.state for r in home.table_model.rows] == ["submitted"]
        assert_window_speaks(home, language)


# -- the card station: the reader is not there, or holds no card ---------------------------


@pytest.mark.parametrize("reader", ["absent", "empty"])
@pytest.mark.parametrize("language", ["sq", "en"])
def test_card_station_when_the_reader_fails(
    qtbot, qapp, ctx, console, desk, pcscd, tmp_path, reader, language
):
    from issuance.security.keys import init_keys
    from tests.issuance.services.cards.conftest import approved
    from tests.support.pcsc import SPARE_READER
    from ui.card_station import CardStationHome

    world = build_world(ctx, console)
    approved(ctx, world)
    spec = "pcsc:No Such Reader 00 00" if reader == "absent" else f"pcsc:{SPARE_READER}"
    printed = tmp_path / "printed"
    desk.ctx.settings = dataclasses.replace(
        desk.settings, card_reader=spec, card_printer=f"folder:{printed}"
    )
    init_keys(desk.settings.keys_dir)
    with speaking(qapp, language):
        home = CardStationHome(dataclasses.replace(desk, actor=world.card_operator,
                                                   language=language))  # fmt: skip
        qtbot.addWidget(home)
        home.resize(1200, 800)
        home.show()
        qtbot.waitUntil(lambda: home.queue_model.rowCount() == 1, timeout=WAIT)
        home.produce_button.click()
        qtbot.waitUntil(lambda: home.producing is None and bool(home.message.text()),
                        timeout=WAIT)  # fmt: skip
        assert not printed.exists() or not list(printed.iterdir())  # nothing printed
        assert_window_speaks(home, language)
