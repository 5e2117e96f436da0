"""The Qt binding the desk runs on keeps Python's reference counts straight.

PySide6 6.12.0 dropped one reference to ``None`` on every ``processEvents()``: a desk (or a
test run) that spins the event loop a few thousand times aborts the interpreter with
"deallocating None". pyproject.toml keeps that release out; this test fails on it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication


def test_spinning_the_event_loop_leaves_the_reference_count_of_none_alone(qapp):
    before = sys.getrefcount(None)
    for _ in range(500):
        QCoreApplication.processEvents()
    assert abs(sys.getrefcount(None) - before) < 50
