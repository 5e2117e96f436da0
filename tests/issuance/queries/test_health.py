"""Device probes for the status bar and the administrator's test buttons, on real parts: the SBI
simulator over HTTP, pcscd with the virtual reader, cupsd with the cups-pdf queue."""

from __future__ import annotations

import pytest

from devtools.backends import development_devices
from devtools.sbi_simulator.server import SbiSimulator
from issuance.config import Settings
from issuance.queries import health
from issuance.queries.health import Level
from issuance.security.permissions import Role
from tests.support.cups import CupsServer, cups_server  # noqa: F401 - fixture
from tests.support.pcsc import READER, pcscd  # noqa: F401 - fixture

DEVICES = development_devices()


def test_each_role_watches_its_own_devices(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="sqlite://", card_printer="cups:Cards")
    assert health.device_specs(settings, Role.CLERK) == {
        "camera": settings.camera,
        "fingerprint": settings.fingerprint_scanner,
        "receipt-printer": settings.receipt_printer_spec,
    }
    assert health.device_specs(settings, Role.CARD_OPERATOR) == {
        "card-printer": "cups:Cards",
        "card-reader": settings.card_reader,
    }
    assert health.device_specs(settings, Role.SUPERVISOR) == {}
    assert len(health.device_specs(settings, Role.ADMINISTRATOR)) == 5


def test_file_camera_is_there_when_its_frames_are(tmp_path):
    from devtools.portraits import write_demo_frames

    spec = write_demo_frames(str(tmp_path / "clip"), count=2)
    assert health.camera_health(spec).level is Level.OK
    missing = health.camera_health(f"file:{tmp_path}/none/frame_%03d.png")
    assert missing.level is Level.DOWN and "no frames" in missing.reason_en


def test_missing_camera_node_and_bad_spec_are_named():
    absent = health.camera_health("opencv:57")
    assert absent.level is Level.DOWN
    assert "/dev/video57 is not connected" in absent.reason_en
    assert "nuk është e lidhur" in absent.reason_sq
    assert "invalid camera configuration" in health.camera_health("webcam").reason_en


def test_scanner_answers_with_its_device_info_or_is_down():
    simulator = SbiSimulator(port=0).start()
    try:
        port = simulator.url.rsplit(":", 1)[1].rstrip("/")
        found = health.scanner_health(DEVICES, f"sbi:127.0.0.1:{port}")
    finally:
        simulator.stop()
    assert found.level is Level.OK and "Ready" in found.reason_en
    gone = health.scanner_health(DEVICES, f"sbi:127.0.0.1:{port}")
    assert gone.level is Level.DOWN


def test_card_reader_is_found_among_pcscd_readers(pcscd):  # noqa: F811
    assert health.reader_health(DEVICES, f"pcsc:{READER}").level is Level.OK
    absent = health.reader_health(DEVICES, "pcsc:No Such Reader 99")
    assert absent.level is Level.DOWN and READER in absent.reason_en
    assert health.reader_health(DEVICES, "usb").level is Level.DOWN


@pytest.mark.parametrize("spec", ["cups:NoSuchQueue", "fax:0"])
def test_printer_problems_are_explained(cups_server: CupsServer, spec):  # noqa: F811
    check = health.printer_health(DEVICES, spec)
    assert check.level is Level.DOWN and check.reason_en and check.reason_sq != check.reason_en


def test_ready_printers(cups_server: CupsServer, tmp_path):  # noqa: F811
    assert health.printer_health(DEVICES, f"cups:{cups_server.queue}").level is Level.OK
    assert health.printer_health(DEVICES, f"folder:{tmp_path}").level is Level.OK
