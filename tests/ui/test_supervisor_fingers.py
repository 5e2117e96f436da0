"""The supervisor sees the ten fingers stored as ISO/IEC 19794-4 records (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QPixmap

from devtools.sbi_simulator import synthetic
from issuance.biometrics.fingerprints import FingerprintSet, FingerRecord
from issuance.ports.fingerprint_images import finger_template
from issuance.ports.fingerprint_model import ALL_FINGERS, Finger
from issuance.ports.iso19794_4 import Compression
from issuance.services import capture, enrolment
from tests.support.world import build_world, enrol_captured
from ui.supervisor import BatchHome

AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _templates() -> dict[Finger, bytes]:
    """Each finger's record, PNG for the right hand and WSQ for the left, as scanners vary."""
    templates = {}
    for finger in ALL_FINGERS:
        image = synthetic.render_finger(5, finger.value, 0, False)
        compression = Compression.WSQ if finger.is_left else Compression.PNG
        templates[finger] = finger_template(finger, image, 66.0, compression, AT)
    return templates


def test_the_detail_pane_shows_fingers_out_of_their_records(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    application_id = enrol_captured(ctx, world.clerk)
    templates = _templates()
    records = tuple(FingerRecord(f, templates[f], 66.0, 1) for f in ALL_FINGERS)
    capture.store_fingerprints(ctx, world.clerk, application_id, FingerprintSet(records, ()))
    enrolment.acknowledge_privacy_notice(ctx, world.clerk, application_id)
    enrolment.submit(ctx, world.clerk, application_id)
    stored = enrolment.read_capture(ctx, world.clerk, application_id, "finger", "left_index")
    assert stored is not None and stored.startswith(b"FIR\x00020\x00")
    assert not QPixmap().loadFromData(stored)  # a record is no picture: it must be opened

    desk.actor = world.supervisor
    home = BatchHome(desk)
    qtbot.addWidget(home)
    home.resize(1200, 800)
    home.show()
    qtbot.waitUntil(lambda: home.table_model.rowCount() == 1, timeout=10_000)
    home.table.selectRow(home.table_model.row_of(application_id))
    qtbot.waitUntil(lambda: home.detail.application_id == application_id, timeout=5_000)
    qtbot.waitUntil(lambda: not home.detail.photo.pixmap().isNull(), timeout=10_000)
    for position, cell in home.detail.fingers.items():
        assert not cell.pixmap().isNull(), position
        assert "66" in cell.toolTip()
