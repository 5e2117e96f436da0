"""Search (as you type, diacritics ignored, history by role) and administration (operators,
offices, device and service tests), driven through the widgets."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from issuance.db.models import Application, Desk, Operator
from issuance.services import operators
from tests.support.operator_text import assert_operator_text
from tests.support.registers import registers_for
from tests.support.world import PASSWORD, build_world, enrol_complete
from ui.admin import AdminPanel
from ui.context import DeskContext
from ui.search import SearchPanel

LEFT = Qt.MouseButton.LeftButton


def _search_panel(qtbot, desk, actor) -> SearchPanel:
    desk.actor = actor
    panel = SearchPanel(desk)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_search_without_diacritics_finds_the_name_and_shows_history(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    enrol_complete(ctx, world.clerk)
    panel = _search_panel(qtbot, desk, world.supervisor)
    qtbot.keyClicks(panel.box, "Cela")
    qtbot.waitUntil(lambda: panel.results_model.rowCount() == 1, timeout=5_000)
    assert panel.results_model.texts[0][1] == "Çela"
    assert panel.results_model.texts[0][2] == "Ëndrit Besnik"
    # Four keystrokes within the debounce interval: one search, not four.
    assert panel.searches == 1
    # The first result opens at once: its audit trail, read-only.
    qtbot.waitUntil(lambda: panel.history_model.rowCount() > 0, timeout=5_000)
    actions = {row[2] for row in panel.history_model.texts}
    assert {"Application started", "State changed", "Biometric capture stored"} <= actions
    assert any(
        row[3] == "from «biometrics captured» to «submitted»" for row in panel.history_model.texts
    )
    assert panel.history_message.text() == ""


def test_clerk_sees_the_refusal_instead_of_the_history(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    enrol_complete(ctx, world.clerk)
    panel = _search_panel(qtbot, desk, world.clerk)
    qtbot.keyClicks(panel.box, "cela")
    qtbot.keyClick(panel.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not allowed" in panel.history_message.text(), timeout=5_000)
    assert "'clerk'" in panel.history_message.text()
    assert panel.history_model.rowCount() == 0
    assert panel.results_model.rowCount() == 1


def test_nothing_found(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    panel = _search_panel(qtbot, desk, world.supervisor)
    qtbot.keyClicks(panel.box, "Zzzz")
    qtbot.waitUntil(lambda: panel.status.text() == "Nothing found.", timeout=5_000)


def _search_for(qtbot, panel: SearchPanel, text: str) -> list[tuple[str, ...]]:
    """Type, press Enter, and read the results once the search has answered."""
    panel.box.clear()
    before = panel.searches
    qtbot.keyClicks(panel.box, text)
    qtbot.keyClick(panel.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.searches > before, timeout=5_000)
    qtbot.waitUntil(lambda: panel.status.text() not in ("", "Searching…"), timeout=5_000)
    return [tuple(row) for row in panel.results_model.texts]


def _number(ctx, application_id: int) -> str:
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).number


def test_search_by_permit_number_and_by_passport(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    first = enrol_complete(ctx, world.clerk)  # LQ1234567, passport P0123456
    second = enrol_complete(
        ctx, world.clerk, coupon="PS-0002", permit_number="LQ7654321",
        passport_number="X9999999", surname="Hoxha", given_names="Arben", nationality="ITA",
    )  # fmt: skip
    panel = _search_panel(qtbot, desk, world.supervisor)

    assert _search_for(qtbot, panel, "lq7654321") == [
        (_number(ctx, second), "Hoxha", "Arben", "", "submitted")
    ]
    assert panel.status.text() == "1 application found."
    assert _search_for(qtbot, panel, " P0123456 ") == [
        (_number(ctx, first), "Çela", "Ëndrit Besnik", "", "submitted")
    ]
    assert [row[0] for row in _search_for(qtbot, panel, "x9999999")] == [_number(ctx, second)]
    # Near misses find nothing: identifiers match whole, never as prefixes.
    assert _search_for(qtbot, panel, "LQ765432") == []
    assert panel.status.text() == "Nothing found."


def test_search_by_the_document_number_of_a_produced_card(qtbot, ctx, console, desk):
    from issuance.security.keys import init_keys
    from tests.issuance.services.cards.conftest import approved, produced_on_the_simulated_station

    world = build_world(ctx, console)
    application_id, _ = approved(ctx, world)
    other = enrol_complete(
        ctx, world.clerk, coupon="PS-0002", permit_number="LQ7654321",
        passport_number="X9999999", surname="Hoxha", given_names="Arben", nationality="ITA",
    )  # fmt: skip
    init_keys(desk.settings.keys_dir)
    produced = produced_on_the_simulated_station(ctx, world, application_id, desk.settings)
    assert other != application_id

    for actor in (world.card_operator, world.supervisor):
        panel = _search_panel(qtbot, desk, actor)
        rows = _search_for(qtbot, panel, produced.document_number.lower())
        assert [(row[0], row[1], row[4]) for row in rows] == [
            (_number(ctx, application_id), "Çela", "card produced")
        ]
    # The supervisor's history names the card by its document number.
    qtbot.waitUntil(lambda: panel.history_model.rowCount() > 0, timeout=5_000)
    assert any(
        row[2] == "Card produced" and f"document number {produced.document_number}" in row[3]
        for row in panel.history_model.texts
    )


def _admin(qtbot, desk, actor) -> AdminPanel:
    desk.actor = actor
    panel = AdminPanel(desk)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def _operator(ctx, username):
    with ctx.uow() as uow:
        return uow.session.execute(
            select(Operator).where(Operator.username == username)
        ).scalar_one_or_none()


def test_add_operator_refuses_a_weak_password_first(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    panel = _admin(qtbot, desk, world.administrator)
    tab = panel.operators
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=5_000)
    qtbot.waitUntil(lambda: tab.office.findData("TR") >= 0, timeout=5_000)
    qtbot.keyClicks(tab.username, "clerk3")
    qtbot.keyClicks(tab.full_name, "Arta Hoxha")
    tab.role.setCurrentIndex(tab.role.findData("clerk"))
    tab.office.setCurrentIndex(tab.office.findData("TR"))
    qtbot.keyClicks(tab.password, "weak")
    qtbot.keyClicks(tab.password_again, "weak")
    qtbot.mouseClick(tab.add_button, LEFT)
    qtbot.waitUntil(lambda: "at least 8 characters" in tab.message.text(), timeout=5_000)
    assert _operator(ctx, "clerk3") is None

    qtbot.keyClicks(tab.password, "Strong-pass1")
    qtbot.keyClicks(tab.password_again, "Strong-pass2")
    qtbot.mouseClick(tab.add_button, LEFT)
    assert "not the same" in tab.message.text()

    tab.password.clear()
    tab.password_again.clear()
    qtbot.keyClicks(tab.password, "Strong-pass1")
    qtbot.keyClicks(tab.password_again, "Strong-pass1")
    qtbot.keyClick(tab.password_again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "clerk3 added" in tab.message.text(), timeout=10_000)
    added = _operator(ctx, "clerk3")
    assert added.role == "clerk" and added.full_name == "Arta Hoxha"
    assert added.office_id == world.clerk.office_id
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6, timeout=5_000)
    assert operators.authenticate(ctx, "clerk3", "Strong-pass1").username == "clerk3"


def test_unlock_a_locked_operator(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    for _ in range(3):
        with pytest.raises((operators.InvalidCredentials, operators.AccountLocked)):
            operators.authenticate(ctx, "clerk2", "Wrong-pass1")
    assert _operator(ctx, "clerk2").locked_until is not None
    panel = _admin(qtbot, desk, world.administrator)
    tab = panel.operators
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=5_000)
    row = next(n for n, v in enumerate(tab.operators) if v.username == "clerk2")
    assert tab.model.texts[row][5] != ""  # "locked until" is shown
    tab.table.selectRow(row)
    qtbot.mouseClick(tab.unlock_button, LEFT)
    qtbot.waitUntil(lambda: "clerk2 unlocked" in tab.message.text(), timeout=5_000)
    assert _operator(ctx, "clerk2").locked_until is None
    qtbot.waitUntil(lambda: tab.model.texts[row][5] == "", timeout=5_000)
    assert operators.authenticate(ctx, "clerk2", PASSWORD).username == "clerk2"


def test_add_office_and_desk(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    panel = _admin(qtbot, desk, world.administrator)
    tab = panel.offices
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5_000)
    qtbot.keyClicks(tab.code, "DR")
    qtbot.keyClicks(tab.name, "DRKM Durres")
    qtbot.keyClicks(tab.city, "Durres")
    qtbot.mouseClick(tab.add_office_button, LEFT)
    qtbot.waitUntil(lambda: tab.desk_office.findData("DR") >= 0, timeout=5_000)
    tab.desk_office.setCurrentIndex(tab.desk_office.findData("DR"))
    qtbot.keyClicks(tab.desk_name, "Sporteli 1")
    qtbot.mouseClick(tab.add_desk_button, LEFT)
    qtbot.waitUntil(lambda: ("DR", "DRKM Durres", "Durres", "Sporteli 1", "Enrolment desk")
                    in tab.model.texts, timeout=5_000)  # fmt: skip
    with ctx.uow() as uow:
        assert uow.session.execute(select(Desk.name)).scalars().all() == ["Sporteli 1"]
    # The operators' form offers the new office too.
    assert panel.operators.office.findData("DR") >= 0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_register_test_button_reports_reachable_and_unreachable(qtbot, ctx, console, desk, sandbox):
    world = build_world(ctx, console)
    urls = {**sandbox.urls(), "voucher": f"http://127.0.0.1:{_closed_port()}"}
    registers = registers_for(urls)
    try:
        broken = DeskContext(ctx=ctx, registers=registers, language="en")
        panel = _admin(qtbot, broken, world.administrator)
        checks = panel.devices.checks
        assert (
            panel.devices.findChild(type(panel.operators.username), "setting-fer").text()
            == (sandbox.urls()["fer"])
        )
        qtbot.mouseClick(checks["fer"].button, LEFT)
        qtbot.mouseClick(checks["voucher"].button, LEFT)
        qtbot.mouseClick(checks["card-printer"].button, LEFT)
        qtbot.waitUntil(
            lambda: checks["fer"].result.text().startswith("OK: reachable"), timeout=5_000
        )
        qtbot.waitUntil(lambda: "Not working: unreachable" in checks["voucher"].result.text(),
                        timeout=5_000)  # fmt: skip
        assert_operator_text(checks["voucher"].result.text(), "en")
        qtbot.waitUntil(lambda: checks["card-printer"].result.text().startswith("OK"),
                        timeout=5_000)  # fmt: skip
    finally:
        registers.close()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"status": 404}, "not the register"),  # a web server at a wrong address
        ({"status": 503, "body": "Traceback (most recent call last)"}, "fault of its own"),
        ({"status": 403, "body": "{}", "content_type": "application/json"}, "refuses this"),
        ({"status": 200, "delay": 3.0}, "no answer within"),
    ],
)
@pytest.mark.parametrize("language", ["sq", "en"])
def test_register_test_button_is_not_fooled_by_any_http_answer(
    qtbot, qapp, ctx, console, desk, answer, expected, language
):
    from tests.support.faulty_http import faulty_server
    from ui.app import install_translator

    world = build_world(ctx, console)
    translator = install_translator(qapp, language)
    try:
        with faulty_server(**answer) as url:
            panel = _admin(qtbot, DeskContext(ctx=ctx, registers=registers_for(
                {**{k: url for k in ("voucher", "fer", "civil-registry", "notification")}},
                read_timeout=1.0), language=language), world.administrator)  # fmt: skip
            check = panel.devices.checks["fer"]
            qtbot.mouseClick(check.button, LEFT)
            qtbot.waitUntil(lambda: check.result.property("ok") is not None
                            and "…" not in check.result.text(), timeout=10_000)  # fmt: skip
            shown = check.result.text()
            assert check.result.property("ok") is False
            assert_operator_text(shown, language)
            if language == "en":
                assert expected in shown and shown.startswith("Not working")
            else:
                assert shown.startswith("Nuk punon")
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)


def test_administrator_tests_and_saves_a_new_camera(qtbot, ctx, console, desk, tmp_path):
    from devtools.portraits import write_demo_frames
    from issuance.config import load_settings, settings_file

    world = build_world(ctx, console)
    panel = _admin(qtbot, desk, world.administrator)
    tab = panel.devices
    camera = tab.checks["camera"]
    camera.field.setText("webcam")
    qtbot.mouseClick(tab.save_button, LEFT)
    qtbot.waitUntil(lambda: "not understood" in tab.message.text(), timeout=5_000)
    assert not settings_file(ctx.settings.data_dir).exists()

    # The Test button tries what the field says before anything is saved.
    spec = write_demo_frames(str(tmp_path / "clip"), count=2)
    camera.field.setText(spec)
    qtbot.mouseClick(camera.button, LEFT)
    qtbot.waitUntil(lambda: camera.result.text().startswith("OK: read one"), timeout=10_000)
    assert ctx.settings.camera != spec
    qtbot.mouseClick(tab.save_button, LEFT)
    qtbot.waitUntil(lambda: tab.message.text() == "Settings saved.", timeout=5_000)
    assert desk.settings.camera == spec  # the running desk uses it at once
    assert load_settings({"ISSUANCE_DATA_DIR": str(ctx.settings.data_dir)}).camera == spec
