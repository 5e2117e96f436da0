"""``make demo`` without a display saves the whole login window, nothing cut (the desk's
``--screenshot``, as ``devtools.desk`` runs it, offscreen as on a virtual screen)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLineEdit

from ui.app import Desk, save_screenshot
from ui.context import DeskContext


@pytest.fixture
def albanian_login(qapp, ctx):
    running = Desk(DeskContext(ctx=ctx, registers=None, language="sq"), qapp)
    yield running.window
    running.change_language("en")  # removes the Albanian translator for the next tests
    running.window.close()


def _assert_whole(window, image: QImage) -> None:
    hint = window.sizeHint()
    assert image.width() >= hint.width() and image.height() >= hint.height()
    assert image.width() >= window.width() and image.height() >= window.height()
    edits = [e for e in window.findChildren(QLineEdit) if e.placeholderText()]
    assert edits, "the login window has a placeholder to show"
    for edit in edits:
        text_width = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        assert text_width + 8 <= edit.width(), edit.placeholderText()


def test_the_screenshot_is_the_whole_window_with_its_placeholder(qtbot, albanian_login, tmp_path):
    window = albanian_login
    window.resize(326, 196)  # what a window shown without a window manager got
    png = tmp_path / "demo-login.png"
    size = save_screenshot(window, png)
    image = QImage(str(png))
    assert not image.isNull() and image.size() == size
    _assert_whole(window, image)


def test_the_desk_saves_it_from_the_command_line(qtbot, albanian_login, tmp_path):
    png = tmp_path / "demo-login.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ISSUANCE_LANGUAGE="sq",
               ISSUANCE_DATA_DIR=str(tmp_path / "data"))  # fmt: skip
    env.pop("ISSUANCE_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "devtools.desk", "--screenshot", str(png)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    image = QImage(str(png))
    assert not image.isNull()
    albanian_login.adjustSize()
    hint = albanian_login.sizeHint()
    assert image.width() >= hint.width() and image.height() >= hint.height()
    assert (image.width(), image.height()) != (326, 196)
