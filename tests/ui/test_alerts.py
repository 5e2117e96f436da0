"""The supervisor's delivery alerts, driven through the widgets against the real services and
the stand-ins: the differing fields side by side, "Send again", and "Resolve…" with a note."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from issuance.db.models import Application, OutboxMessage
from issuance.delivery import civil_registry, outbox
from issuance.domain.workflow import State
from tests.issuance.services.test_alerts import _mismatching
from ui.supervisor import AlertsPanel

LEFT = Qt.MouseButton.LeftButton
WAIT = 10_000


def _open(qtbot, desk, actor, rows: int) -> AlertsPanel:
    desk.actor = actor
    panel = AlertsPanel(desk)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() == rows, timeout=WAIT)
    return panel


def _registry_message(ctx) -> OutboxMessage:
    with ctx.uow() as uow:
        return uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.topic == civil_registry.TOPIC)
        ).scalar_one()


def _state(ctx, application_id) -> str:
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).state


def _resolve(qtbot, panel: AlertsPanel, note: str) -> None:
    qtbot.mouseClick(panel.resolve_button, LEFT)
    dialog = panel.resolve_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.note.insertPlainText(note)  # what an input method commits ("ë" included)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), LEFT)


def test_a_mismatch_is_shown_side_by_side_and_resolved_with_a_note(
    qtbot, ctx, console, sandbox, desk
):
    world, application_id = _mismatching(ctx, console, sandbox, desk.registers)
    panel = _open(qtbot, desk, world.supervisor, 1)
    number = panel.model.rows[0].application_number
    assert panel.status.text() == "1 alert to settle."
    assert panel.model.text(panel.model.rows[0], 2) == "Person registered at the civil registry"
    assert number in panel.topic.text()
    assert "Given names" in panel.reason.text() and "first_name" not in panel.reason.text()
    assert panel.differences.isVisible()
    assert panel.differences_model.texts == [("Given names", "Ëndrit Besnik", "Endrit Besnik")]

    # An empty note is refused by the service, said on the screen, and changes nothing.
    _resolve(qtbot, panel, "   ")
    qtbot.waitUntil(lambda: "Write a note" in panel.message.text(), timeout=WAIT)
    assert _registry_message(ctx).status == outbox.ALERT
    assert panel.resolve_button.isEnabled()

    _resolve(qtbot, panel, "Konfirmuar me telefon me Gjendjen Civile: Ëndrit")
    qtbot.waitUntil(lambda: "e-Albania ready" in panel.message.text(), timeout=WAIT)
    assert number in panel.message.text()
    assert _registry_message(ctx).status == outbox.RESOLVED
    assert _state(ctx, application_id) == State.REGISTERED
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=WAIT)
    assert not panel.retry_button.isEnabled() and not panel.differences.isVisible()


def test_send_again_makes_the_message_due(qtbot, ctx, console, sandbox, desk):
    world, application_id = _mismatching(ctx, console, sandbox, desk.registers)
    panel = _open(qtbot, desk, world.supervisor, 1)
    qtbot.mouseClick(panel.retry_button, LEFT)
    qtbot.waitUntil(lambda: "sent again" in panel.message.text(), timeout=WAIT)
    assert _registry_message(ctx).status == outbox.PENDING
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=WAIT)
    assert _state(ctx, application_id) == State.CARD_PRODUCED


def test_another_offices_supervisor_sees_none_and_a_clerk_is_told(
    qtbot, ctx, console, sandbox, desk
):
    from tests.support.world import build_world

    world, _ = _mismatching(ctx, console, sandbox, desk.registers)
    other = build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës",
                        prefix="dr_")  # fmt: skip
    panel = _open(qtbot, desk, other.supervisor, 0)
    qtbot.waitUntil(lambda: "no delivery alerts" in panel.status.text(), timeout=WAIT)
    assert not panel.resolve_button.isEnabled()
    desk.actor = world.clerk
    clerk_panel = AlertsPanel(desk)
    qtbot.addWidget(clerk_panel)
    qtbot.waitUntil(lambda: "not allowed" in clerk_panel.message.text(), timeout=WAIT)


def test_the_albanian_desk_names_everything_in_albanian(qtbot, qapp, ctx, console, sandbox, desk):
    from ui.app import install_translator

    world, _ = _mismatching(ctx, console, sandbox, desk.registers)
    translator = install_translator(qapp, "sq")
    assert translator is not None
    try:
        desk.language = "sq"
        panel = _open(qtbot, desk, world.supervisor, 1)
        headers = [panel.model.headerData(i, Qt.Orientation.Horizontal) for i in range(4)]
        assert headers == ["Kur", "Aplikimi", "Mesazhi", "Arsyeja"]
        assert panel.model.text(panel.model.rows[0], 2) == (
            "Regjistrimi i personit në Gjendjen Civile"
        )
        assert panel.reason.text().startswith("Regjistri Civil ruajti të dhëna të ndryshme")
        assert panel.differences_model.texts == [("Emri", "Ëndrit Besnik", "Endrit Besnik")]
        assert panel.retry_button.text() == "&Dërgo përsëri"
        assert panel.status.text() == "1 alarm për t'u zgjidhur."
    finally:
        qapp.removeTranslator(translator)


def test_the_history_names_a_confirmation_by_other_means(qtbot, ctx, console, sandbox, desk):
    from issuance.security import audit
    from ui.search import HistoryModel

    world, application_id = _mismatching(ctx, console, sandbox, desk.registers)
    panel = _open(qtbot, desk, world.supervisor, 1)
    alert_id = panel.model.rows[0].id
    _resolve(qtbot, panel, "Confirmed by phone")
    qtbot.waitUntil(lambda: _state(ctx, application_id) == State.REGISTERED, timeout=WAIT)
    events = audit.history(ctx, world.supervisor, "application", application_id)
    [confirmed] = [e for e in events if e.details.get("by_other_means")]
    text = HistoryModel(desk).details(confirmed.details)
    assert text == (
        f"confirmed with the registry by a supervisor; alert no. {alert_id}; "
        "note: Confirmed by phone"
    )
