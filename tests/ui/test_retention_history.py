"""An application's history on the desk tells, in words, that the applicant accepted the
privacy notice and that its biometrics were purged at the end of retention (English and
Albanian), with no code and no personal data in the purge's details."""

from __future__ import annotations

import dataclasses
import re

import pytest

from issuance.domain import privacy_notice
from issuance.services import batches, retention
from tests.support.world import build_world, enrol_complete
from ui.app import install_translator
from ui.search import SearchPanel

WAIT = 15_000
RAW = re.compile(r"\b[a-z]+\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b|\b[A-Z]+_[A-Z_]+\b|\b(True|False)\b")


@pytest.fixture
def albanian(qapp):
    translator = install_translator(qapp, "sq")
    assert translator is not None, "the compiled Albanian catalogue is missing"
    yield
    qapp.removeTranslator(translator)


def _history(qtbot, desk, language: str, actor) -> list[tuple[str, ...]]:
    panel = SearchPanel(dataclasses.replace(desk, language=language, actor=actor))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.box, "LQ1234567")
    qtbot.waitUntil(lambda: panel.history_model.rowCount() > 0, timeout=WAIT)
    return panel.history_model.texts


def _purged(ctx, console, clock):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    batches.reject(ctx, world.supervisor, application_id, "forged permit")
    clock.advance(days=180)
    (purged,) = retention.run(ctx, console).purged
    return world, purged


def test_the_history_names_the_notice_and_the_purge_in_english(qtbot, ctx, console, clock, desk):
    world, purged = _purged(ctx, console, clock)
    rows = {row[2]: row[3] for row in _history(qtbot, desk, "en", world.supervisor)}
    assert rows["Applicant accepted the privacy notice"] == (
        f"privacy notice of {privacy_notice.VERSION}"
    )
    assert rows["Biometrics and scans purged (retention period)"] == (
        f"application {purged.number}; rejected more than 180 days ago; "
        "11 capture(s), 1 signature(s) and 0 scan(s) deleted"
    )
    for what in ("Applicant accepted the privacy notice",
                 "Biometrics and scans purged (retention period)"):  # fmt: skip
        assert not RAW.search(rows[what]), rows[what]


def test_the_history_names_them_in_albanian(qtbot, ctx, console, clock, desk, albanian):
    world, purged = _purged(ctx, console, clock)
    rows = {row[2]: row[3] for row in _history(qtbot, desk, "sq", world.supervisor)}
    assert rows["Aplikanti pranoi njoftimin e privatësisë"] == (
        f"njoftimi i privatësisë i {privacy_notice.VERSION}"
    )
    details = rows["Biometria dhe skanimet u fshinë (afati i ruajtjes)"]
    assert "«e refuzuar» më shumë se 180 ditë më parë" in details
    assert "u fshinë 11 kapje, 1 nënshkrim(e) dhe 0 skanim(e)" in details
    assert "Çela" not in details and not RAW.search(details)
