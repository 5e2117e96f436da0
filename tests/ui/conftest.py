"""UI fixtures: a desk context on the stand-ins, and a watchdog on the GUI thread."""

from __future__ import annotations

import gc
import threading
import time

import cv2
import httpx
import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from devtools.standins import Sandbox, SandboxConfig
from tests.issuance.biometrics.photo import portraits
from tests.support.registers import fer_holds, registers_for
from ui.app import DeskTranslator, install_translator
from ui.context import DeskContext


@pytest.fixture(autouse=True)
def english_desk(qapp):
    """Every desk test starts as the English desk does (its catalogue gives the plural forms:
    "1 alert", "3 alerts"), whatever an earlier test installed and left; a test that speaks
    Albanian installs that on top. What a test leaves installed is taken away after it."""

    def remove_all() -> None:
        for translator in qapp.findChildren(DeskTranslator):
            qapp.removeTranslator(translator)
            translator.setParent(None)

    remove_all()
    install_translator(qapp, "en")
    yield
    remove_all()
    qapp.setProperty("desk-language", None)


@pytest.fixture
def sandbox():
    sb = Sandbox(SandboxConfig()).start()
    fer_holds(sb.fer)  # the permits of tests.support.world's enrolments, read again by the desk
    yield sb
    sb.stop()


@pytest.fixture
def desk(ctx, sandbox):
    registers = registers_for(sandbox.urls(), read_timeout=5.0)
    yield DeskContext(ctx=ctx, registers=registers, language="en")
    registers.close()


@pytest.fixture
def slow_registers(sandbox):
    """Every stand-in answers after 300 ms: a GUI thread that waits on one will show it."""
    for url in sandbox.urls().values():
        httpx.post(f"{url}/_sandbox/faults", json={"latency_ms": 300}, timeout=5)
    yield
    for url in sandbox.urls().values():
        httpx.delete(f"{url}/_sandbox/faults", timeout=5)


class GuiWatchdog:
    """Measures the longest stall of the Qt event loop, and refuses network calls made from the
    GUI thread (they would freeze the window for as long as the service takes)."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self.gui_thread_calls: list[str] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        """(Re)start measuring from now, after the test's own set-up (argon2, enrolment, keys).

        A full garbage collection of the ~200k objects pytest, Qt and SQLAlchemy keep alive
        takes 120-190 ms on whichever thread triggers it, and the GIL stops every other thread
        meanwhile: the watchdog would blame that on the screen. The desk freezes its heap after
        login (gc.freeze) so collections only scan what is new; the watchdog does the same."""
        gc.collect()
        gc.freeze()
        self.longest_ms = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()


@pytest.fixture
def gui_watchdog(qapp, monkeypatch):
    watchdog = GuiWatchdog()
    original = httpx.Client.send

    def send(client, request, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            watchdog.gui_thread_calls.append(str(request.url))
        return original(client, request, *args, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", send)
    watchdog.start()
    yield watchdog
    watchdog.stop()


@pytest.fixture(scope="session")
def portrait_frames(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("camera")
    frame = portraits.camera_frame()
    for i in range(8):
        cv2.imwrite(str(folder / f"frame_{i:03d}.png"), frame)
    return f"file:{folder / 'frame_%03d.png'}?fps=30"


@pytest.fixture(scope="session")
def empty_frames(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Nobody in front of the camera: the photo is never taken."""
    folder = tmp_path_factory.mktemp("empty")
    frame = np.empty((480, 640, 3), np.uint8)
    frame[:] = portraits.BACKDROP
    for i in range(3):
        cv2.imwrite(str(folder / f"frame_{i:03d}.png"), frame)
    return f"file:{folder / 'frame_%03d.png'}?fps=15"


@pytest.fixture
def always_close(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
