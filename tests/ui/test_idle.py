"""The idle logout waits for the session's own running work, and only for that."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from ui import workers
from ui.idle import IdleWatch

LIMIT_S = 0.3


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []

    def done(self, result: object) -> None:
        self.results.append(result)


def _blocking_job(receiver: Receiver, release: threading.Event) -> None:
    workers.Jobs().run(lambda: release.wait(30), receiver.done, receiver.done)


def _watch(qapp) -> tuple[IdleWatch, list[bool]]:
    watch = IdleWatch(qapp, LIMIT_S)
    expired: list[bool] = []
    watch.expired.connect(lambda: expired.append(True))
    return watch, expired


def test_a_running_job_of_this_session_keeps_the_desk_open(qtbot, qapp):
    receiver, release = Receiver(), threading.Event()
    watch, expired = _watch(qapp)
    _blocking_job(receiver, release)
    try:
        qtbot.wait(int(LIMIT_S * 4000))  # four times the limit, untouched
        assert expired == [] and workers.busy(0)
    finally:
        release.set()
    qtbot.waitUntil(lambda: receiver.results == [True], timeout=5_000)
    # The job is over: the limit now counts from its end.
    qtbot.waitUntil(lambda: expired == [True], timeout=5_000)
    watch.stop()


def test_a_job_left_over_from_an_earlier_session_does_not(qtbot, qapp):
    receiver, release = Receiver(), threading.Event()
    _blocking_job(receiver, release)  # e.g. a reader that never answered, before this login
    try:
        watch, expired = _watch(qapp)
        qtbot.waitUntil(lambda: expired == [True], timeout=5_000)
        assert workers.busy(0)  # still running: it just is not this session's
        watch.stop()
    finally:
        release.set()
    qtbot.waitUntil(lambda: receiver.results == [True], timeout=5_000)
    assert not workers.busy(0)


def test_a_result_for_a_screen_deleted_meanwhile_is_dropped(qtbot, qapp):
    import shiboken6
    from PySide6.QtWidgets import QLabel

    class Screen(QLabel):
        def loaded(self, result: object) -> None:
            self.setText(str(result))  # on a deleted widget this would crash the desk

    release = threading.Event()
    closed, alive = Screen(), Screen()
    qtbot.addWidget(alive)
    workers.Jobs().run(lambda: release.wait(30) and "late", closed.loaded, closed.loaded)
    workers.Jobs().run(lambda: release.wait(30) and "late", alive.loaded, alive.loaded)
    shiboken6.delete(closed)  # the window went away while its query ran
    release.set()
    qtbot.waitUntil(lambda: alive.text() == "late", timeout=5_000)
    qtbot.waitUntil(lambda: not workers.busy(0), timeout=5_000)
