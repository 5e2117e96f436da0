"""The idle logout waits for the session's own running work, and only for that; the desk's task
registry knows exactly what still runs, and lets go of finished tasks on the GUI thread only."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QObject, QRunnable

from issuance.security import passwords
from tests.support.world import World, build_world
from ui import workers
from ui.idle import IdleWatch
from ui.workers import Jobs

LIMIT_S = 0.3


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []

    def done(self, result: object) -> None:
        self.results.append(result)


def _blocking_job(jobs: Jobs, receiver: Receiver, release: threading.Event) -> None:
    jobs.run(lambda: release.wait(30), receiver.done, receiver.done)


def _watch(qapp, jobs: Jobs) -> tuple[IdleWatch, list[bool]]:
    watch = IdleWatch(qapp, LIMIT_S, jobs)
    expired: list[bool] = []
    watch.expired.connect(lambda: expired.append(True))
    return watch, expired


def test_a_running_job_of_this_session_keeps_the_desk_open(qtbot, qapp):
    jobs, receiver, release = Jobs(), Receiver(), threading.Event()
    watch, expired = _watch(qapp, jobs)
    _blocking_job(jobs, receiver, release)
    try:
        qtbot.wait(int(LIMIT_S * 4000))  # four times the limit, untouched
        assert expired == [] and jobs.busy(0)
    finally:
        release.set()
    qtbot.waitUntil(lambda: receiver.results == [True], timeout=5_000)
    # The job is over: the limit now counts from its end.
    qtbot.waitUntil(lambda: expired == [True], timeout=5_000)
    watch.stop()


def test_a_job_left_over_from_an_earlier_session_does_not(qtbot, qapp):
    jobs, receiver, release = Jobs(), Receiver(), threading.Event()
    _blocking_job(jobs, receiver, release)  # e.g. a reader that never answered, before this login
    try:
        watch, expired = _watch(qapp, jobs)
        qtbot.waitUntil(lambda: expired == [True], timeout=5_000)
        assert jobs.busy(0)  # still running: it just is not this session's
        watch.stop()
    finally:
        release.set()
    qtbot.waitUntil(lambda: receiver.results == [True], timeout=5_000)
    assert not jobs.busy(0)


def test_a_result_for_a_screen_deleted_meanwhile_is_dropped(qtbot, qapp):
    import shiboken6
    from PySide6.QtWidgets import QLabel

    class Screen(QLabel):
        def loaded(self, result: object) -> None:
            self.setText(str(result))  # on a deleted widget this would crash the desk

    jobs, release = Jobs(), threading.Event()
    closed, alive = Screen(), Screen()
    qtbot.addWidget(alive)
    jobs.run(lambda: release.wait(30) and "late", closed.loaded, closed.loaded)
    jobs.run(lambda: release.wait(30) and "late", alive.loaded, alive.loaded)
    shiboken6.delete(closed)  # the window went away while its query ran
    release.set()
    qtbot.waitUntil(lambda: alive.text() == "late", timeout=5_000)
    assert not jobs.busy(0)
    # Both results were handled (one dropped): the registry keeps neither task.
    qtbot.waitUntil(lambda: jobs.held() == 0, timeout=5_000)


def test_a_task_that_returned_is_not_busy_even_before_the_event_loop_ran(qtbot, qapp):
    """The worker says when its function returned: no queued signal, no event loop needed."""
    jobs, receiver = Jobs(), Receiver()

    def boom() -> None:
        raise KeyError("bug")

    jobs.run(lambda: "loaded", receiver.done, receiver.done)
    jobs.run(boom, receiver.done, receiver.done)
    deadline = time.monotonic() + 5
    while jobs.busy(0) and time.monotonic() < deadline:
        time.sleep(0.01)  # blocks the GUI thread: no event is processed meanwhile
    assert not jobs.busy(0) and jobs.running() == []
    # The results wait for the GUI thread, and the registry keeps both tasks until then.
    assert receiver.results == [] and jobs.held() == 2
    qtbot.waitUntil(lambda: len(receiver.results) == 2, timeout=5_000)
    assert "loaded" in receiver.results
    assert any(isinstance(r, KeyError) for r in receiver.results)
    qtbot.waitUntil(lambda: jobs.held() == 0, timeout=5_000)


def test_registries_are_independent_and_the_module_keeps_no_task_state(qtbot, qapp):
    first, second = Jobs(), Jobs()
    receiver, release = Receiver(), threading.Event()
    _blocking_job(first, receiver, release)
    try:
        assert first.busy(0) and first.mark() == 1
        assert not second.busy(0) and second.mark() == 0 and second.running() == []
        assert first.running() == ["_blocking_job.<locals>.<lambda>"]
    finally:
        release.set()
    qtbot.waitUntil(lambda: receiver.results == [True], timeout=5_000)
    for global_state in ("_RUNNING", "_STARTED", "busy", "mark", "run_in_background"):
        assert not hasattr(workers, global_state)


class Result:
    """What a worker hands back (plain objects can be watched with weakref)."""


def test_tasks_and_what_they_refer_to_are_released_on_the_gui_thread(qtbot, qapp):
    """Nothing a task refers to (its closure with the screen's Qt objects, its result) loses
    its last reference on a worker thread; the task itself is a plain Python object, not a Qt
    one, so it does not matter where it goes."""
    jobs, receiver = Jobs(), Receiver()
    released_on: list[str] = []

    def note() -> None:
        released_on.append(threading.current_thread().name)

    count = 20
    for _ in range(count):
        captured = QObject()  # e.g. a screen's relay, referred to only by the worker's closure
        weakref.finalize(captured, note)
        task = jobs.run(
            lambda captured=captured: captured.objectName() or Result(),
            receiver.done,
            receiver.done,
        )
        assert not isinstance(task, QObject | QRunnable)
        del captured, task
    qtbot.waitUntil(lambda: len(receiver.results) == count, timeout=10_000)
    for result in receiver.results:
        assert isinstance(result, Result)
        weakref.finalize(result, note)
    del result
    receiver.results.clear()
    qtbot.waitUntil(lambda: jobs.held() == 0, timeout=5_000)
    gc.collect()
    assert len(released_on) == 2 * count
    assert set(released_on) == {threading.main_thread().name}


# -- the card operator's desk ---------------------------------------------------------------


@pytest.fixture
def world(ctx, console, monkeypatch) -> World:
    # The five operators' argon2 hashes are not what these tests are about.
    monkeypatch.setattr(
        passwords, "hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    return build_world(ctx, console)


def test_the_idle_logout_fires_after_a_card_station_refresh(
    qtbot, qapp, ctx, desk, world, monkeypatch
):
    """The ghost-task bug: the station's refresh had finished, but the desk stayed busy."""
    from issuance.queries import cards as card_queries
    from tests.issuance.services.cards.conftest import approved
    from ui.card_station import CardStationHome

    approved(ctx, world)
    desk.ctx.settings = replace(desk.settings, card_reader="sim")  # no pcscd needed
    desk.actor = world.card_operator
    watch, expired = _watch(qapp, desk.jobs)  # the operator logged in
    try:
        home = CardStationHome(desk)  # refreshes its lists as it opens
        qtbot.addWidget(home)
        home.show()
        qtbot.waitUntil(lambda: expired == [True], timeout=10_000)
        assert home.queue_model.rowCount() == 1  # the refresh ran, and is over
        assert not desk.jobs.busy(0) and desk.jobs.running() == []
    finally:
        watch.stop()

    # A refresh asked for later, held up in the database: the desk stays open while it runs,
    # and is logged out once it is over.
    release = threading.Event()
    waiting_for_card = card_queries.waiting_for_card

    def slow_query(*args: object) -> object:
        release.wait(30)
        return waiting_for_card(*args)

    monkeypatch.setattr(card_queries, "waiting_for_card", slow_query)
    watch, expired = _watch(qapp, desk.jobs)
    try:
        home.refresh_button.click()
        qtbot.wait(int(LIMIT_S * 4000))
        assert expired == []
        assert desk.jobs.running() == ["CardStationHome.refresh.<locals>.load"]
        release.set()
        qtbot.waitUntil(lambda: expired == [True], timeout=10_000)
        assert not desk.jobs.busy(0) and home.queue_model.rowCount() == 1
    finally:
        release.set()
        watch.stop()


def test_the_login_and_every_screen_start_their_work_in_the_desks_registry(
    qtbot, qapp, desk, world, monkeypatch
):
    from PySide6.QtCore import Qt

    from tests.support.world import PASSWORD
    from ui.app import Desk
    from ui.enrolment.supervisor import SupervisorDialog
    from ui.enrolment.wizard import EnrolmentWizard
    from ui.home import HomeWindow

    created: list[Jobs] = []
    original = Jobs.__init__

    def counted(self: Jobs) -> None:
        created.append(self)
        original(self)

    monkeypatch.setattr(Jobs, "__init__", counted)
    running = Desk(desk, qapp)
    running.window.username.setText("clerk")
    running.window.password.setText(PASSWORD)
    qtbot.mouseClick(running.window.submit, Qt.MouseButton.LeftButton)
    assert desk.jobs.mark() == 1  # the password check went to the desk's registry
    qtbot.waitUntil(lambda: isinstance(running.window, HomeWindow), timeout=10_000)
    started = desk.jobs.mark()
    wizard = EnrolmentWizard(desk, None, running.window)  # with all its steps
    supervisor = SupervisorDialog(desk, wizard)
    for actor in (world.supervisor, world.card_operator, world.administrator):
        desk.actor = actor
        home = HomeWindow(desk)  # each role's screens, the search and the status bar
        qtbot.addWidget(home)
    qtbot.waitUntil(lambda: desk.jobs.mark() > started, timeout=10_000)
    qtbot.waitUntil(lambda: not desk.jobs.busy(0), timeout=20_000)
    assert created == []  # nobody made a registry of its own
    assert wizard.jobs is desk.jobs and supervisor.jobs is desk.jobs
    assert all(page.jobs is desk.jobs for page in wizard.pages)
    running.show_login()
    running.window.close()
