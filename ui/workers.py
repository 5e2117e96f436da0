"""Run slow calls (password hashing, network, devices, heavy queries) off the GUI thread.

Each desk has one ``Jobs`` registry (``DeskContext.jobs``); every screen starts its work through
it. The registry answers two questions exactly:

* ``busy(since)``: is a task started after ``since`` still running? A task counts from its
  start until its function has returned in the worker; the worker itself says so, under a lock,
  so the answer never waits for the GUI event loop (the idle logout trusts it).
* who owns a task until its result has been handled: the registry does. Tasks are not
  auto-deleted by the thread pool, and no Qt object of a task is ever released on a worker
  thread (a QObject destroyed there, by the pool or by a garbage collection that happens to run
  there, crashes the process). The registry lets go of a task on the GUI thread, after its
  handler ran and once the worker has left the task's ``run``.

Results come back as a queued signal to a relay that lives in the GUI thread, so handlers run
there; a result for a screen that was closed and deleted meanwhile is dropped, never
delivered to a dead widget (which crashes the process rather than raising).
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)

from issuance.errors import IssuanceError

log = logging.getLogger(__name__)

_RETRY_RELEASE_MS = 10  # a worker that reported is about to leave run(): look again soon


class _Relay(QObject):
    """One per registry, created on the GUI thread and owned by the application object (so
    Qt, not a garbage collection on some thread, destroys it). Workers emit ``reported``;
    Qt queues the call to the GUI thread."""

    reported = Signal(object)  # the Task

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.reported.connect(self._arrived, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _arrived(self, task: Task) -> None:
        task._jobs._report(task)


def _deliver(handler: Callable[[Any], None], value: object) -> None:
    owner = getattr(handler, "__self__", None)
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        log.debug("result dropped: its screen was closed")
        return
    handler(value)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


class Task(QRunnable):
    """One call of a function in a worker. Owned by its registry, not by the thread pool."""

    def __init__(
        self,
        jobs: Jobs,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        sequence: int,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the pool would delete it on the worker thread
        self.name = _name(fn)
        self.sequence = sequence  # the order screens started their tasks in
        self._jobs = jobs
        self._fn: Callable[[], Any] | None = fn
        self._on_success: Callable[[Any], None] | None = on_success
        self._on_failure: Callable[[Exception], None] | None = on_failure
        self._outcome: tuple[bool, object] | None = None
        self.reported = False  # its result was handled (or dropped) on the GUI thread
        self._left = False  # set as run()'s last statement: the GUI thread may delete it now

    def run(self) -> None:
        try:
            assert self._fn is not None
            self._outcome = (True, self._fn())
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the window
            if not isinstance(exc, IssuanceError):
                # A refusal is the clerk's business; anything else is a bug to find in the log.
                log.error("unexpected error in a background task", exc_info=exc)
            self._outcome = (False, exc)
        finally:
            self._jobs._ended(self)  # from here on busy() no longer counts it
        self._jobs._relay_for_workers.reported.emit(self)
        # The last statement, with no call after it (no other thread runs in between): what is
        # left for the worker is to return, and the thread pool still holds the task meanwhile.
        self._left = True


class Jobs:
    """The task registry of one desk: how screens start background work.

    ``run`` is called on the GUI thread; the handlers are called there too. ``busy`` and
    ``mark`` may be asked from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = 0  # how many tasks were started so far: marks where a session began
        self._running: dict[int, str] = {}  # sequence -> name, until the function returned
        self._held: list[Task] = []  # GUI thread only: tasks whose result is not yet handled
        self._relay: _Relay | None = None

    @property
    def _relay_for_workers(self) -> _Relay:
        assert self._relay is not None  # created by run() before any task starts
        return self._relay

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        pool: QThreadPool | None = None,
    ) -> Task:
        if self._relay is None:
            self._relay = _Relay(QCoreApplication.instance())
        self._release()
        with self._lock:
            self._started += 1
            task = Task(self, fn, on_success, on_failure, self._started)
            self._running[task.sequence] = task.name
        self._held.append(task)
        (pool or QThreadPool.globalInstance()).start(task)
        return task

    def mark(self) -> int:
        """A point in time for ``busy``: the tasks started after it."""
        with self._lock:
            return self._started

    def busy(self, since: int = 0) -> bool:
        """Is a background task started after ``since`` still running?

        The idle logout passes the mark of its own session: a task left over from an earlier
        session (a reader that never answers, a window long closed) must not keep the next
        operator's desk open for ever."""
        with self._lock:
            return any(sequence > since for sequence in self._running)

    def running(self, since: int = 0) -> list[str]:
        """The functions still running that were started after ``since`` (for diagnostics)."""
        with self._lock:
            return [name for sequence, name in self._running.items() if sequence > since]

    def held(self) -> int:
        """How many tasks the registry still keeps (started, or results not yet released)."""
        return len(self._held)

    # -- called by the tasks -------------------------------------------------------------

    def _ended(self, task: Task) -> None:
        """Worker thread: the task's function has returned (or raised)."""
        with self._lock:
            self._running.pop(task.sequence, None)

    def _report(self, task: Task) -> None:
        """GUI thread: hand the result to its screen, then let go of the task."""
        assert task._outcome is not None
        ok, value = task._outcome
        handler = task._on_success if ok else task._on_failure
        # Everything the task referred to (the function's closure, the handlers' screens, the
        # result) is released here, on the GUI thread, whatever the handler does.
        task._outcome = task._fn = task._on_success = task._on_failure = None
        task.reported = True
        try:
            assert handler is not None
            _deliver(handler, value)
        finally:
            if isinstance(value, BaseException):
                # The traceback's frames (the worker's among them) keep their locals alive:
                # clear them so no reference cycle is left for a collection on another thread.
                traceback.clear_frames(value.__traceback__)
            self._release()

    def _release(self) -> None:
        """GUI thread: drop the tasks that reported back and whose worker has left them.

        PySide keeps a reference from the thread pool to every runnable started with autoDelete
        off, so a worker never drops the last one; ``shiboken6.delete`` deletes the C++ runnable
        here and ends that reference, and the Python object goes with the registry's."""
        done = [t for t in self._held if t.reported and t._left]
        if done:
            self._held = [t for t in self._held if not (t.reported and t._left)]
        for task in done:
            if shiboken6.isValid(task):
                # Deletes the C++ runnable here and makes the pool let go of its reference.
                shiboken6.delete(task)
        del done
        if self._relay is not None and any(t.reported for t in self._held):
            QTimer.singleShot(_RETRY_RELEASE_MS, self._relay, self._release)
