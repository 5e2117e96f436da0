"""ISO/IEC 19794-4:2011 records end to end: the real simulator sends one per finger over
HTTP on loopback, the real SBI client parses and checks it, the enrolment keeps it as the
template; faulty records are refused with the record's reason."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from devices.fingerprint.sbi_client import SbiScanner
from devtools.sbi_simulator import synthetic
from devtools.sbi_simulator.server import SbiSimulator
from issuance.biometrics.fingerprints import EnrolmentPlan, FingerprintEnrolment, FingerprintSession
from issuance.ports import iso19794_4 as iso
from issuance.ports.fingerprint_errors import FingerRecordRefused, ScannerProtocolError
from issuance.ports.fingerprint_images import record_pixels
from issuance.ports.fingerprint_model import (
    CaptureRequest,
    CaptureResult,
    Finger,
    FingerImage,
    Slap,
)
from issuance.ports.status import DeviceState
from tests.issuance.biometrics.fingerprints.ridge_checks import assert_ridge_image

EMPTY_HASH = hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize("slap", list(Slap))
def test_every_finger_arrives_as_its_own_record(scanner: SbiScanner, slap: Slap) -> None:
    result = scanner.capture(CaptureRequest.for_slap(slap)).result(timeout=30)
    for shot in result.fingers:
        assert shot.record is not None and shot.image is not None
        record = iso.parse(shot.record)
        assert shot.record[:8] == b"FIR\x00020\x00"
        assert int.from_bytes(shot.record[8:12], "big") == len(shot.record)
        (rep,) = record.representations
        assert rep.position == iso.POSITION[shot.finger]  # matches the bioSubType asked for
        assert rep.resolution_ppi == (500, 500) and rep.bit_depth == 8
        assert rep.compression is iso.Compression.PNG
        assert rep.impression == iso.Impression.LIVE_SCAN_PLAIN
        assert (rep.height, rep.width) == shot.image.shape
        assert np.array_equal(record_pixels(rep), shot.image)
        assert_ridge_image(shot.image)
        # The record's quality block carries the scanner's score and names no algorithm.
        assert rep.quality == (iso.QualityBlock(round(shot.quality), 0, 0),)


def test_the_record_is_the_bytes_the_device_hashed(scanner: SbiScanner) -> None:
    scanner.reset_chain()
    result = scanner.capture(CaptureRequest.single(Finger.RIGHT_INDEX)).result(timeout=30)
    (shot,) = result.fingers
    assert shot.record is not None
    # SBI hash chain: SHA-256(previous hash + SHA-256(bioValue)); the client kept those bytes.
    expected = hashlib.sha256(bytes.fromhex(EMPTY_HASH) + hashlib.sha256(shot.record).digest())
    assert result.last_hash == expected.hexdigest().upper()


def test_wsq_records_are_decoded_through_nbis(scanner: SbiScanner, simulator: SbiSimulator) -> None:
    png = scanner.capture(CaptureRequest.single(Finger.LEFT_MIDDLE)).result(timeout=30)
    request = CaptureRequest.single(Finger.LEFT_MIDDLE, options={"sim.compression": "wsq"})
    wsq = scanner.capture(request).result(timeout=30)
    (png_shot,), (wsq_shot,) = png.fingers, wsq.fingers
    assert wsq_shot.record is not None and png_shot.record is not None
    rep = iso.parse(wsq_shot.record).representations[0]
    assert rep.compression is iso.Compression.WSQ and rep.image[:4] == b"\xff\xa0\xff\xa8"
    assert len(wsq_shot.record) < len(png_shot.record) / 4
    assert wsq_shot.image is not None and png_shot.image is not None
    assert_ridge_image(wsq_shot.image)
    # Lossy, but within a few grey levels of what the simulator rendered for that attempt.
    rendered = synthetic.render_finger(simulator.seed, Finger.LEFT_MIDDLE.value, 1, False)
    error = np.abs(wsq_shot.image.astype(int) - rendered.astype(int)).mean()
    assert 0 < error < 8
    assert np.array_equal(
        png_shot.image, synthetic.render_finger(simulator.seed, "Left MiddleFinger", 0, False)
    )


@pytest.mark.parametrize("compression", ["jpeg", "raw"])
def test_other_compressions_the_simulator_offers(scanner: SbiScanner, compression: str) -> None:
    request = CaptureRequest.single(Finger.LEFT_RING, options={"sim.compression": compression})
    (shot,) = scanner.capture(request).result(timeout=30).fingers
    assert shot.image is not None and shot.record is not None
    assert_ridge_image(shot.image)


FAULTS = {
    "bare_png": (iso.NotAFingerRecord, "not an ISO/IEC 19794-4 finger image record"),
    "wrong_position": (iso.PositionMismatch, "where 'Right IndexFinger' (position 2)"),
    "wrong_resolution": (iso.WrongResolution, "250 x 250 ppi; 500 ppi is required"),
    "bad_length": (iso.RecordLengthMismatch, "declares"),
}


@pytest.mark.parametrize("fault", FAULTS, ids=FAULTS.keys())
def test_a_faulty_record_is_refused_with_its_reason(scanner: SbiScanner, fault: str) -> None:
    reason, words = FAULTS[fault]
    request = CaptureRequest.single(Finger.RIGHT_INDEX, options={"sim.record": fault})
    with pytest.raises(FingerRecordRefused) as refused:
        scanner.capture(request).result(timeout=30)
    error = refused.value
    assert isinstance(error, ScannerProtocolError) and isinstance(error.reason, reason)
    assert error.message("en").startswith("The fingerprint scanner sent data that cannot be")
    assert words in error.message("en")
    assert error.reason.sq in error.message("sq")
    assert "Error" not in error.message("en")  # words for the clerk, no exception names
    assert scanner.status.state is DeviceState.ERROR


def test_the_enrolment_stores_the_devices_records(simulator: SbiSimulator) -> None:
    simulator.configure(compression="wsq")
    with SbiScanner(simulator.url, read_grace_s=2.0) as scanner:
        session = FingerprintSession(scanner, FingerprintEnrolment(), timeout_s=10)
        session.run_until_blocked(timeout_s=30)
        result = session.enrolment.result()
    for record in result.records:
        assert record.template is not None
        (rep,) = iso.parse(record.template).representations
        assert rep.finger is record.finger and rep.compression is iso.Compression.WSQ
        assert_ridge_image(record_pixels(rep))
    assert simulator.behaviour()["compression"] == "wsq"
    with pytest.raises(ValueError, match="compression"):
        simulator.configure(compression="lzw")


def test_a_capture_without_record_gets_one_built_around_a_lossless_png() -> None:
    # A scanner adapter that hands over pixels only (no SBI record): the template is still
    # a 19794-4 record, of that finger, its PNG image holding exactly those pixels.
    enrolment = FingerprintEnrolment(EnrolmentPlan.single_flats())
    image = synthetic.render_finger(9, Finger.RIGHT_THUMB.value, 0, False)
    for step in enrolment.plan.steps:
        (finger,) = step.fingers
        shot = FingerImage(finger, image, 71.6)
        enrolment.record(step, CaptureResult((shot,), "t"))
    thumb = enrolment.result().record(Finger.RIGHT_THUMB)
    assert thumb.template is not None
    (rep,) = iso.parse(thumb.template).representations
    assert rep.finger is Finger.RIGHT_THUMB and rep.compression is iso.Compression.PNG
    assert rep.quality == (iso.QualityBlock(72, 0, 0),)
    assert np.array_equal(record_pixels(rep), image)
