"""Every list says "Loading…" while its rows are on their way, and stops saying it when they
arrive or the load fails (the screen then says why)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from issuance.queries import admin as admin_queries  # noqa: F401 - the panel's module
from issuance.queries import batches as batch_queries
from issuance.queries import cards as card_queries
from issuance.queries import enrolment as enrolment_queries
from issuance.services import alerts, operators
from tests.support.operator_text import assert_operator_text
from tests.support.world import build_world
from ui.admin import AdminPanel
from ui.card_station.home import CardStationHome
from ui.enrolment import EnrolmentHome
from ui.supervisor import AlertsPanel, BatchHome
from ui.tables import LoadingNote

WAIT = 10_000


def _gate(monkeypatch, module: Any, name: str, fail: bool) -> threading.Event:
    """The query waits until the test opens the gate, then answers (or fails)."""
    gate, real = threading.Event(), getattr(module, name)

    def held(*args: object, **kwargs: object) -> object:
        gate.wait(WAIT / 1000)
        if fail:
            raise PermissionError(13, "denied", "/srv/issuance/app.db")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    return gate


SCREENS: dict[str, tuple[Callable[..., QWidget], Any, str, str, str]] = {
    # screen: (window, module, query, role, the list's object name)
    "clerk's drafts": (EnrolmentHome, enrolment_queries, "my_drafts", "clerk", "drafts"),
    "batches": (BatchHome, batch_queries, "open_batches", "supervisor", "batch-list"),
    "alerts": (AlertsPanel, alerts, "list_alerts", "supervisor", "alerts"),
    "card queue": (CardStationHome, card_queries, "waiting_for_card", "card_operator", "queue"),
    "operators": (AdminPanel, operators, "list_operators", "administrator", "operators"),
}


@pytest.mark.parametrize("fail", [False, True], ids=["loads", "fails"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_list_says_it_is_loading(qtbot, ctx, console, desk, monkeypatch, screen, fail):
    window_type, module, query, role, list_name = SCREENS[screen]
    world = build_world(ctx, console)
    gate = _gate(monkeypatch, module, query, fail)
    window = window_type(dataclasses.replace(desk, actor=getattr(world, role)))
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    view = window.findChild(QTableView, list_name)
    assert view is not None, f"no list named {list_name}"
    note = view.findChild(LoadingNote)
    assert note is not None
    qtbot.waitUntil(note.isVisible, timeout=WAIT)
    assert note.text() == "Loading…"
    gate.set()
    qtbot.waitUntil(lambda: not note.isVisible(), timeout=WAIT)
    if fail:
        shown = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
        problems = [t for t in shown if "administrator" in t or "Tell" in t]
        assert problems, shown
        for text in problems:
            assert_operator_text(text, "en")
