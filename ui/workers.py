"""Run slow calls (password hashing, network, devices, heavy queries) off the GUI thread.

Results come back as queued signals, so handlers run in the GUI thread; a handler must be a
bound method of a QObject for Qt to know which thread to deliver to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from issuance.errors import IssuanceError

log = logging.getLogger(__name__)


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._fn = fn
        self.signals = _Signals()
        self.sequence = 0  # set by Jobs: the order screens started their tasks in
        self.finished = False  # set on the GUI thread when the task has reported back

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the window
            if not isinstance(exc, IssuanceError):
                # A refusal is the clerk's business; anything else is a bug to find in the log.
                log.error("unexpected error in a background task", exc_info=exc)
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


def run_in_background(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[Exception], None],
    pool: QThreadPool | None = None,
) -> Task:
    task = Task(fn)
    task.signals.succeeded.connect(on_success)
    task.signals.failed.connect(on_failure)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


# Every task a screen started, until it has reported back. Held at module level, not by the
# window: a window closed while its task runs must not delete the task's signals.
_RUNNING: list[Task] = []
_STARTED = 0  # how many tasks screens have started so far: marks where a session began


class Jobs:
    """How a screen starts background work: the task is kept alive until it reports back."""

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        pool: QThreadPool | None = None,
    ) -> Task:
        global _STARTED
        # Finished tasks are dropped here, on the GUI thread, never from the worker itself.
        _RUNNING[:] = [t for t in _RUNNING if not t.finished]
        task = run_in_background(fn, on_success, on_failure, pool)
        _STARTED += 1
        task.sequence = _STARTED
        task.signals.succeeded.connect(lambda _r, t=task: setattr(t, "finished", True))
        task.signals.failed.connect(lambda _e, t=task: setattr(t, "finished", True))
        _RUNNING.append(task)
        return task


def mark() -> int:
    """A point in time for ``busy``: the tasks started after it."""
    return _STARTED


def busy(since: int = 0) -> bool:
    """Is a background task started after ``since`` still running?

    The idle logout passes the mark of its own session: a task left over from an earlier
    session (a reader that never answers, a window long closed) must not keep the next
    operator's desk open for ever."""
    return any(not t.finished and t.sequence > since for t in _RUNNING)
