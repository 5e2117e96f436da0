"""Logging out a desk nobody is using: shared desks must not stay open on an operator's rights.

Any keyboard or mouse input in any window counts as activity, and so does background work
still running (a queue of cards being produced, a capture in progress): the desk is never
logged out under a running job.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ui.workers import Jobs

_INPUT = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
}  # fmt: skip


class IdleWatch(QObject):
    expired = Signal()

    def __init__(
        self, app: QApplication, limit_s: float, jobs: Jobs, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.limit_s = limit_s
        self._app = app
        self._jobs = jobs
        self._last = time.monotonic()
        self._since = jobs.mark()  # work started before this session does not count
        self._timer = QTimer(self, interval=max(50, min(1000, int(limit_s * 250))))
        self._timer.timeout.connect(self._check)
        app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT:
            self._last = time.monotonic()
        return False

    def _check(self) -> None:
        if self._jobs.busy(self._since):
            self._last = time.monotonic()
            return
        if time.monotonic() - self._last >= self.limit_s:
            self.stop()
            self.expired.emit()

    def stop(self) -> None:
        self._timer.stop()
        self._app.removeEventFilter(self)
