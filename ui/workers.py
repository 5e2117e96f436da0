"""Run slow calls (password hashing, network, devices, heavy queries) off the GUI thread.

Results come back as queued signals to a relay that lives in the GUI thread, so handlers run
there; a result for a screen that was closed and deleted meanwhile is dropped, never
delivered to a dead widget (which crashes the process rather than raising).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from issuance.errors import IssuanceError

log = logging.getLogger(__name__)


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Relay(QObject):
    """Created by the starting (GUI) thread, so queued signals reach it there."""

    def __init__(
        self, on_success: Callable[[Any], None], on_failure: Callable[[Exception], None]
    ) -> None:
        super().__init__()
        self._on_success, self._on_failure = on_success, on_failure

    @Slot(object)
    def succeeded(self, result: object) -> None:
        _deliver(self._on_success, result)

    @Slot(object)
    def failed(self, error: object) -> None:
        _deliver(self._on_failure, error)


def _deliver(handler: Callable[[Any], None], value: object) -> None:
    owner = getattr(handler, "__self__", None)
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        log.debug("result dropped: its screen was closed")
        return
    handler(value)


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._fn = fn
        self.signals = _Signals()
        self.relay: _Relay | None = None  # kept with the task until it has reported back
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
    relay = task.relay = _Relay(on_success, on_failure)
    task.signals.succeeded.connect(relay.succeeded)
    task.signals.failed.connect(relay.failed)
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
