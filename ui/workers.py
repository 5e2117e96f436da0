"""Run slow calls (password hashing, network, devices, heavy queries) off the GUI thread.

Each desk has one ``Jobs`` registry (``DeskContext.jobs``); every screen starts its work through
it. The registry answers two questions exactly:

* ``busy(since)``: is a task started after ``since`` still running? A task counts from its
  start until its function has returned in the worker; the worker itself says so, under a lock,
  so the answer never waits for the GUI event loop (the idle logout trusts it).
* who owns a task until its result has been handled: the registry does, and it lets go of it
  on the GUI thread.

The workers are plain Python threads (``Lane``), not Qt's thread pool: a worker never creates,
holds or destroys a Qt object, so neither the pool nor a garbage collection that happens to
run on a worker thread can destroy one there (which crashes the process). A worker stores its
outcome on the task, puts the task in the registry's queue and pokes the registry's relay, a
QObject of the GUI thread, through a queued signal; the relay hands each result to its screen
there. A result for a screen that was closed and deleted meanwhile is dropped, never
delivered to a dead widget (which crashes the process rather than raising).
"""

from __future__ import annotations

import logging
import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from issuance.errors import IssuanceError
from issuance.incidents import incident_of

log = logging.getLogger(__name__)

DEFAULT_WORKERS = 4


class Lane:
    """Daemon worker threads taking tasks in order. ``Lane(1)`` runs one task at a time (a
    device that must not be driven from two threads). Threads start on first use; a task
    that never returns (a device that never answers) does not keep the program from exiting."""

    def __init__(self, workers: int = DEFAULT_WORKERS, name: str = "desk-worker") -> None:
        self._queue: queue.SimpleQueue[Task] = queue.SimpleQueue()
        self._size, self._name = workers, name
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0

    def start(self, task: Task) -> None:
        with self._lock:
            spawn = self._idle == 0 and self._threads < self._size
            if spawn:
                self._threads += 1
            else:
                self._idle -= 1  # that idle worker takes this task
        self._queue.put(task)
        if spawn:
            thread = threading.Thread(
                target=self._work, name=f"{self._name}-{self._threads}", daemon=True
            )
            thread.start()

    def _work(self) -> None:
        while True:
            task = self._queue.get()
            task.run()
            del task  # the worker holds nothing while it waits for the next task
            with self._lock:
                self._idle += 1


class _Relay(QObject):
    """One per registry, created on the GUI thread and owned by the application object (so
    Qt, not a garbage collection on some thread, destroys it). Workers emit ``wake`` (no
    arguments: no Python object crosses threads through Qt); Qt queues the call to the GUI
    thread, which drains the registry's queue of finished tasks."""

    wake = Signal()

    def __init__(self, drain: Callable[[], None], parent: QObject | None) -> None:
        super().__init__(parent)
        self._drain = drain
        self.wake.connect(self._woken, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _woken(self) -> None:
        self._drain()


def _deliver(handler: Callable[[Any], None], value: object) -> None:
    owner = getattr(handler, "__self__", None)
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        log.debug("result dropped: its screen was closed")
        return
    handler(value)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


class Task:
    """One call of a function in a worker; a plain Python object, owned by its registry."""

    def __init__(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        sequence: int,
        finished: Callable[[Task], None],
    ) -> None:
        self.name = _name(fn)
        self.sequence = sequence  # the order screens started their tasks in
        self._fn: Callable[[], Any] | None = fn
        self._on_success: Callable[[Any], None] | None = on_success
        self._on_failure: Callable[[Exception], None] | None = on_failure
        self._finished: Callable[[Task], None] | None = finished
        self._outcome: tuple[bool, object] | None = None
        self.reported = False  # its result was handled (or dropped) on the GUI thread

    def run(self) -> None:
        """Worker thread. The outcome goes straight onto the task, never into a local of
        this frame: the GUI thread must hold its last reference."""
        assert self._fn is not None and self._finished is not None
        try:
            self._outcome = (True, self._fn())
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the window
            if not isinstance(exc, IssuanceError):
                # A refusal is the clerk's business; anything else gets its incident number
                # (and its traceback in the log) now, while the worker's frames still exist.
                incident_of(exc, f"background task {self.name}")
            self._outcome = (False, exc)
        self._finished(self)


class Jobs:
    """The task registry of one desk: how screens start background work.

    ``run`` is called on the GUI thread; the handlers are called there too. ``busy``,
    ``mark`` and ``running`` may be asked from any thread."""

    def __init__(self, lane: Lane | None = None) -> None:
        self._lane = lane or Lane()
        self._lock = threading.Lock()
        self._started = 0  # how many tasks were started so far: marks where a session began
        self._running: dict[int, str] = {}  # sequence -> name, until the function returned
        self._held: dict[int, Task] = {}  # GUI thread only: tasks whose result is not handled
        self._done: queue.SimpleQueue[Task] = queue.SimpleQueue()
        self._relay: _Relay | None = None

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        lane: Lane | None = None,
    ) -> Task:
        if self._relay is None:
            self._relay = _Relay(self._drain, QCoreApplication.instance())
        with self._lock:
            self._started += 1
            task = Task(fn, on_success, on_failure, self._started, self._ended)
            self._running[task.sequence] = task.name
        self._held[task.sequence] = task
        (lane or self._lane).start(task)
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
        """How many tasks the registry still keeps (running, or results not yet handled)."""
        return len(self._held)

    # -- worker side ---------------------------------------------------------------------

    def _ended(self, task: Task) -> None:
        """Worker thread: the task's function has returned (or raised)."""
        with self._lock:
            self._running.pop(task.sequence, None)
        self._done.put(task)
        relay = self._relay
        if relay is not None and shiboken6.isValid(relay):
            relay.wake.emit()

    # -- GUI side ------------------------------------------------------------------------

    def _drain(self) -> None:
        """GUI thread: hand every finished task's result to its screen, then let go of it."""
        while True:
            try:
                task = self._done.get_nowait()
            except queue.Empty:
                return
            self._report(task)

    def _report(self, task: Task) -> None:
        assert task._outcome is not None
        ok, value = task._outcome
        handler = task._on_success if ok else task._on_failure
        # Everything the task referred to (the function's closure, the handlers' screens, the
        # result) is released here, on the GUI thread, whatever the handler does.
        task._outcome = task._fn = task._on_success = task._on_failure = None
        task._finished = None
        task.reported = True
        self._held.pop(task.sequence, None)
        try:
            assert handler is not None
            _deliver(handler, value)
        finally:
            if isinstance(value, BaseException):
                # The traceback's frames (the worker's among them) keep their locals alive:
                # clear them so no reference cycle is left for a collection on another thread.
                traceback.clear_frames(value.__traceback__)
