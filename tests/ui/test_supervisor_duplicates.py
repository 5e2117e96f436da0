"""The supervisor's detail lists biometric possible duplicates with their score and the other
application; approval is refused until each has a decision, taken from the detail itself."""

from __future__ import annotations

from PySide6.QtCore import Qt

from issuance.db.models import Application, DuplicateDecision
from issuance.domain.workflow import State
from tests.support import people
from tests.support.world import build_world
from ui.supervisor import BatchHome

LEFT = Qt.MouseButton.LeftButton


def _state(ctx, application_id: int) -> str:
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).state


def _open_on(qtbot, desk, actor, rows: int, application_id: int) -> BatchHome:
    desk.actor = actor
    home = BatchHome(desk)
    qtbot.addWidget(home)
    home.resize(1200, 900)
    home.show()
    qtbot.waitUntil(lambda: home.table_model.rowCount() == rows, timeout=10_000)
    home.table.selectRow(home.table_model.row_of(application_id))
    qtbot.waitUntil(lambda: home.detail.application_id == application_id, timeout=5_000)
    return home


def test_face_match_shown_blocks_approval_until_decided_another_person(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    first = people.enrol_with_face(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    people.enrol_with_face(ctx, world.clerk, 2, people.grace_hopper_jpeg())
    second = people.enrol_with_face(ctx, world.clerk, 3, people.astronaut_jpeg(4))
    home = _open_on(qtbot, desk, world.supervisor, 3, second)
    matches = home.detail.face_matches
    qtbot.waitUntil(lambda: matches.matches.count() == 1, timeout=10_000)
    first_number = home.table_model.rows[home.table_model.row_of(first)].number
    text = matches.matches.item(0).text()
    assert first_number in text and "Surname1" in text and "%" in text
    assert "no decision yet" in text and "without a decision" in matches.summary.text()

    qtbot.mouseClick(home.approve_button, LEFT)
    qtbot.waitUntil(lambda: "duplicate" in home.message.text(), timeout=5_000)
    assert _state(ctx, second) == State.SUBMITTED

    assert matches.other_button.isEnabled() and matches.same_button.isEnabled()
    qtbot.mouseClick(matches.other_button, LEFT)
    dialog = matches.dialog
    assert dialog is not None and not dialog.confirm.isEnabled()  # a reason is required
    dialog.reason.insert("Binjake: certifikatat e lindjes u panë")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "another person" in matches.matches.item(0).text()
                    if matches.matches.count() else False, timeout=10_000)  # fmt: skip
    assert not matches.other_button.isEnabled()  # decided: nothing left to decide
    with ctx.uow() as uow:
        [decision] = uow.session.query(DuplicateDecision).all()
        assert decision.reason == "Binjake: certifikatat e lindjes u panë"

    qtbot.mouseClick(home.approve_button, LEFT)
    qtbot.waitUntil(lambda: _state(ctx, second) == State.APPROVED, timeout=5_000)


def test_same_person_rejects_the_application_from_the_detail(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    people.enrol_with_face(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    second = people.enrol_with_face(ctx, world.clerk, 2, people.astronaut_jpeg(1))
    home = _open_on(qtbot, desk, world.supervisor, 2, second)
    matches = home.detail.face_matches
    qtbot.waitUntil(lambda: matches.matches.count() == 1, timeout=10_000)
    qtbot.mouseClick(matches.same_button, LEFT)
    dialog = matches.dialog
    assert dialog is not None
    dialog.reason.insert("Same person under another passport")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _state(ctx, second) == State.REJECTED, timeout=10_000)
    qtbot.waitUntil(lambda: "rejected" in home.message.text(), timeout=5_000)
    row = home.table_model.rows[home.table_model.row_of(second)]
    assert row.state == State.REJECTED


def test_a_face_without_matches_says_so(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    only = people.enrol_with_face(ctx, world.clerk, 1, people.grace_hopper_jpeg())
    home = _open_on(qtbot, desk, world.supervisor, 1, only)
    matches = home.detail.face_matches
    qtbot.waitUntil(lambda: "No other applicant" in matches.summary.text(), timeout=10_000)
    assert matches.matches.count() == 0 and not matches.same_button.isEnabled()
    assert "fingerprints could not be compared" in matches.summary.text()


def test_a_fingerprint_match_names_the_fingers_and_the_score_in_both_languages(
    qtbot, qapp, ctx, console, desk
):
    from ui.app import install_translator

    world = build_world(ctx, console)
    first = people.enrol_with_fingers(
        ctx, world.clerk, 1, people.astronaut_jpeg(0), people.finger_records(21)
    )
    second = people.enrol_with_fingers(
        ctx, world.clerk, 2, people.grace_hopper_jpeg(), people.finger_records(21, attempt=1)
    )
    home = _open_on(qtbot, desk, world.supervisor, 2, second)
    matches = home.detail.face_matches
    qtbot.waitUntil(lambda: matches.matches.count() == 1, timeout=10_000)
    text = matches.matches.item(0).text()
    first_number = home.table_model.rows[home.table_model.row_of(first)].number
    assert text.startswith("Fingerprints match (right thumb, right index finger")
    assert "a match from 40" in text and first_number in text and "Face match" not in text

    desk.language = "sq"
    install_translator(qapp, "sq")  # the autouse fixture takes it away afterwards
    home.detail.face_matches.load(second, "")
    qtbot.waitUntil(lambda: matches.matches.count() == 1, timeout=10_000)
    shqip = matches.matches.item(0).text()
    assert "gishti i madh i djathtë" in shqip and "finger" not in shqip.lower()
