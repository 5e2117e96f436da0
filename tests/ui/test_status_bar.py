"""The status bar against the stand-ins: a register slower than the amber threshold is amber
with its reason on hover, one that is down is red, and the outbox backlog counts the messages
a real approval left waiting while the civil registry was away."""

from __future__ import annotations

import httpx
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from issuance.delivery import civil_registry, outbox
from issuance.queries import health
from issuance.services import batches
from tests.support.world import build_world, enrol_complete
from ui.context import DeskContext
from ui.status import COLOURS, DeskStatusBar

WAIT = 15_000
# Above health.SLOW_S (2 s) and below the probe's 3 s timeout, so the check answers "slow".
LATENCY_MS = 2_400


def _hover(qtbot, label) -> str:
    """What the operator reads when the pointer rests on the label."""
    centre = label.rect().center()
    event = QHelpEvent(QEvent.Type.ToolTip, centre, label.mapToGlobal(centre))
    QApplication.sendEvent(label, event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=WAIT)
    text = QToolTip.text()
    QToolTip.hideText()
    return text


def _level(bar: DeskStatusBar, name: str) -> str | None:
    return bar.labels[name].property("level")


def test_amber_with_its_reason_and_messages_waiting_in_the_outbox(
    qtbot, ctx, console, desk, sandbox
):
    assert LATENCY_MS / 1000 > health.SLOW_S
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    httpx.post(
        f"{sandbox.url('fer')}/_sandbox/faults", json={"latency_ms": LATENCY_MS}, timeout=5
    ).raise_for_status()
    sandbox.suspend("civil-registry")
    try:
        supervisor_desk = DeskContext(
            ctx=ctx, registers=desk.registers, language="en", actor=world.supervisor
        )
        bar = DeskStatusBar(supervisor_desk)
        qtbot.addWidget(bar)
        bar.resize(1200, 30)
        bar.show()
        qtbot.waitExposed(bar)
        qtbot.waitUntil(lambda: _level(bar, "fer") is not None, timeout=WAIT)

        # The slow register is amber, its reason on hover; the others say what they are.
        fer = bar.labels["fer"]
        assert _level(bar, "fer") == "slow"
        assert COLOURS[health.Level.SLOW] in fer.styleSheet()
        reason = _hover(qtbot, fer)
        assert reason.startswith("slow (") and reason.endswith(" s)"), reason
        assert float(reason[len("slow (") : -len(" s)")]) >= LATENCY_MS / 1000
        assert _level(bar, "voucher") == "ok"
        assert _hover(qtbot, bar.labels["voucher"]).startswith("reachable (")
        assert _level(bar, "civil-registry") == "down"
        assert COLOURS[health.Level.DOWN] in bar.labels["civil-registry"].styleSheet()
        assert _hover(qtbot, bar.labels["civil-registry"]).startswith("unreachable: nothing")
        # The submission left the post office's coupon consumption waiting (no outbox thread
        # runs here).
        assert bar.backlog.text() == "Outbox: 1 waiting, 0 alerts"

        # The approval writes the civil registry's message; nobody can take it: it waits.
        batches.approve(ctx, world.supervisor, application_id)
        assert outbox.backlog(ctx).by_topic[civil_registry.TOPIC] == 1
        bar.refresh()
        qtbot.waitUntil(lambda: "2 waiting" in bar.backlog.text(), timeout=WAIT)
        assert bar.backlog.text() == "Outbox: 2 waiting, 0 alerts"
        assert _level(bar, "fer") == "slow"

        # The register is fast again: green on the next refresh, the message still waits.
        httpx.delete(f"{sandbox.url('fer')}/_sandbox/faults", timeout=5).raise_for_status()
        bar.refresh()
        qtbot.waitUntil(lambda: _level(bar, "fer") == "ok", timeout=WAIT)
        assert COLOURS[health.Level.OK] in fer.styleSheet()
        assert bar.backlog.text() == "Outbox: 2 waiting, 0 alerts"
    finally:
        sandbox.resume("civil-registry")


def test_the_albanian_bar_gives_the_reason_in_albanian(qtbot, ctx, console, desk, sandbox):
    world = build_world(ctx, console)
    httpx.post(
        f"{sandbox.url('voucher')}/_sandbox/faults", json={"latency_ms": LATENCY_MS}, timeout=5
    ).raise_for_status()
    albanian = DeskContext(ctx=ctx, registers=desk.registers, language="sq", actor=world.supervisor)
    bar = DeskStatusBar(albanian)
    qtbot.addWidget(bar)
    bar.resize(1200, 30)
    bar.show()
    qtbot.waitExposed(bar)
    qtbot.waitUntil(lambda: _level(bar, "voucher") is not None, timeout=WAIT)
    assert _level(bar, "voucher") == "slow"
    assert _hover(qtbot, bar.labels["voucher"]).startswith("i ngadaltë (")
    assert _hover(qtbot, bar.labels["fer"]).startswith("në rregull (")
