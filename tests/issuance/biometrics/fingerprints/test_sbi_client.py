from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import numpy as np
import pytest

from devices.fingerprint import open_scanner
from devices.fingerprint.sbi_client import SbiScanner, discover
from devtools.backends import development_devices
from devtools.sbi_simulator.server import SbiSimulator
from issuance.ports.fingerprint_errors import (
    CaptureFailed,
    CaptureTimedOut,
    InvalidScannerSpec,
    ScannerBusy,
    ScannerDisconnected,
    ScannerNotFound,
    ScannerNotReady,
    ScannerProtocolError,
)
from issuance.ports.fingerprint_images import png_bytes, png_ppi
from issuance.ports.fingerprint_model import CaptureRequest, Finger, Slap
from issuance.ports.status import DeviceState, DeviceStatus
from tests.issuance.biometrics.fingerprints.ridge_checks import (
    assert_ridge_image,
    centre_block,
    orientation_coherence,
    ridge_spectrum,
)

DEVICES = development_devices()

SBI_RANGE = (4501, 4600)


def _decoy_in_range() -> HTTPServer:
    """A plain web server on the first free SBI port: it does not speak SBI."""
    for port in range(SBI_RANGE[0], SBI_RANGE[1] + 1):
        try:
            server = HTTPServer(("127.0.0.1", port), BaseHTTPRequestHandler)
        except OSError:
            continue
        server.RequestHandlerClass.log_message = lambda *a: None  # type: ignore[method-assign]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
    raise RuntimeError("no free port in the SBI range")


def test_discovery_finds_the_device_on_a_free_port_of_the_range() -> None:
    decoy = _decoy_in_range()
    try:
        with SbiSimulator(port_range=SBI_RANGE) as sim:
            assert sim.port != decoy.server_address[1]
            found = discover(ports=range(SBI_RANGE[0], SBI_RANGE[1] + 1))
            assert [d.port for d in found] == [sim.port]
            device = found[0]
            assert device.device_type == "Finger" and device.device_sub_type == "Slap"
            assert device.device_sub_ids == (1, 2, 3)
            assert device.url == sim.url
            scanner = open_scanner(f"sbi:127.0.0.1:{SBI_RANGE[0]}-{SBI_RANGE[1]}")
            try:
                assert scanner.device_info().serial_no == sim.serial_no
            finally:
                scanner.close()
    finally:
        decoy.shutdown()
        decoy.server_close()


def test_discovery_of_an_empty_range_names_the_range(closed_port: int) -> None:
    with pytest.raises(ScannerNotFound) as caught:
        open_scanner(f"sbi:127.0.0.1:{closed_port}-{closed_port + 1}")
    assert str(closed_port) in caught.value.message("en")


@pytest.mark.parametrize("spec", ["usb:1", "sbi:127.0.0.1", "sbi:127.0.0.1:4600-4501", ""])
def test_invalid_spec_is_refused(spec: str) -> None:
    with pytest.raises(InvalidScannerSpec):
        open_scanner(spec)


def test_device_info_is_parsed(scanner: SbiScanner, simulator: SbiSimulator) -> None:
    info = scanner.device_info()
    assert info.ready and info.status == "Ready"
    assert info.serial_no == simulator.serial_no
    assert (info.make, info.model, info.device_sub_type) == ("Simulated", "SIM-SLAP-442", "Slap")
    assert info.device_sub_ids == (1, 2, 3)
    assert info.purpose == "Registration"
    assert info.spec_versions[0] == "0.9.5"
    assert info.callback_url.startswith(simulator.url)


@pytest.mark.parametrize("slap", list(Slap))
def test_each_slap_returns_its_fingers_as_ridge_images(scanner: SbiScanner, slap: Slap) -> None:
    result = scanner.capture(CaptureRequest.for_slap(slap)).result(timeout=30)
    assert [f.finger for f in result.fingers] == list(slap.fingers)
    for shot in result.fingers:
        assert shot.detected
        assert shot.image is not None
        assert_ridge_image(shot.image)
        assert 40 <= shot.quality <= 100
        assert png_ppi(png_bytes(shot.image)) == 500
    assert len(result.last_hash) == 64


def test_noise_fails_the_ridge_checks() -> None:
    # Guards the guard: the checks above must reject what a lazy simulator would send.
    noise = np.random.default_rng(3).integers(0, 256, (370, 270), dtype=np.uint8)
    _, share = ridge_spectrum(noise)
    assert share < 0.2 and orientation_coherence(noise) < 0.3


def test_fingers_and_people_differ(simulator: SbiSimulator) -> None:
    other = SbiSimulator(seed=2).start()
    try:
        with SbiScanner(simulator.url) as one, SbiScanner(other.url) as two:
            left = one.capture(CaptureRequest.for_slap(Slap.LEFT)).result(timeout=30)
            again = two.capture(CaptureRequest.single(Finger.LEFT_INDEX)).result(timeout=30)
    finally:
        other.stop()
    index, middle = left.fingers[0].image, left.fingers[1].image
    other_index = again.fingers[0].image
    assert index is not None and middle is not None and other_index is not None

    def similarity(a: np.ndarray, b: np.ndarray) -> float:
        # The ridges of the finger's centre, not its outline, which all fingers share.
        return float(np.corrcoef(centre_block(a).ravel(), centre_block(b).ravel())[0, 1])

    assert similarity(index, middle) < 0.3
    assert similarity(index, other_index) < 0.3


def test_single_finger_capture(scanner: SbiScanner) -> None:
    result = scanner.capture(CaptureRequest.single(Finger.RIGHT_THUMB)).result(timeout=30)
    assert [f.finger for f in result.fingers] == [Finger.RIGHT_THUMB]
    assert_ridge_image(result.fingers[0].image)


def test_excepted_fingers_are_not_captured(scanner: SbiScanner) -> None:
    request = CaptureRequest.for_slap(Slap.RIGHT, exceptions=(Finger.RIGHT_RING,))
    result = scanner.capture(request).result(timeout=30)
    assert [f.finger for f in result.fingers] == [
        Finger.RIGHT_INDEX,
        Finger.RIGHT_MIDDLE,
        Finger.RIGHT_LITTLE,
    ]


def test_low_quality_switch_per_request(scanner: SbiScanner) -> None:
    request = CaptureRequest.for_slap(Slap.LEFT, options={"sim.lowQuality": ["Left RingFinger"]})
    shots = scanner.capture(request).result(timeout=30).by_finger()
    ring = shots[Finger.LEFT_RING]
    assert ring.detected and ring.quality < 40
    assert ring.image is not None
    assert orientation_coherence(ring.image) < orientation_coherence(shots[Finger.LEFT_INDEX].image)
    assert all(s.quality >= 40 for f, s in shots.items() if f is not Finger.LEFT_RING)


def test_missing_finger_is_reported_per_finger(
    scanner: SbiScanner, simulator: SbiSimulator
) -> None:
    simulator.configure(missing=["Left MiddleFinger"])
    shots = scanner.capture(CaptureRequest.for_slap(Slap.LEFT)).result(timeout=30).by_finger()
    assert not shots[Finger.LEFT_MIDDLE].detected
    assert shots[Finger.LEFT_MIDDLE].error_code == 101
    assert shots[Finger.LEFT_MIDDLE].image is None
    assert shots[Finger.LEFT_INDEX].detected and shots[Finger.LEFT_LITTLE].detected


def test_busy_device_status(scanner: SbiScanner, simulator: SbiSimulator) -> None:
    simulator.configure(mode="busy")
    assert scanner.device_info().status == "Busy"
    with pytest.raises(ScannerBusy):
        scanner.capture(CaptureRequest.for_slap(Slap.LEFT)).result(timeout=30)


def test_busy_answer_to_a_capture(scanner: SbiScanner) -> None:
    request = CaptureRequest.for_slap(Slap.LEFT, options={"sim.mode": "busy"})
    with pytest.raises(ScannerBusy) as caught:
        scanner.capture(request).result(timeout=30)
    assert caught.value.code == 501


def test_two_desks_capturing_at_once_one_is_told_busy(simulator: SbiSimulator) -> None:
    simulator.capture_delay_s = 0.6
    with SbiScanner(simulator.url) as first, SbiScanner(simulator.url) as second:
        first.device_info()
        one = first.capture(CaptureRequest.single(Finger.LEFT_THUMB))
        time.sleep(0.2)
        two = second.capture(CaptureRequest.single(Finger.RIGHT_THUMB))
        assert one.result(timeout=30).fingers[0].detected
        with pytest.raises(ScannerBusy):
            two.result(timeout=30)


def test_admin_endpoint_switches_behaviour(scanner: SbiScanner, simulator: SbiSimulator) -> None:
    reply = httpx.post(f"{simulator.url}/admin/behaviour", json={"mode": "not_ready"})
    assert reply.json()["mode"] == "not_ready"
    with pytest.raises(ScannerNotReady):
        scanner.capture(CaptureRequest.for_slap(Slap.THUMBS)).result(timeout=30)
    httpx.post(f"{simulator.url}/admin/behaviour", json={"mode": "ready"})
    assert scanner.capture(CaptureRequest.for_slap(Slap.THUMBS)).result(timeout=30).fingers


@pytest.mark.parametrize(
    ("code", "words"), [(103, "tampering"), (102, "technical error"), (101, "no finger")]
)
def test_device_errors_map_to_capture_failed(scanner: SbiScanner, code: int, words: str) -> None:
    request = CaptureRequest.for_slap(Slap.LEFT, options={"sim.mode": f"error:{code}"})
    with pytest.raises(CaptureFailed) as caught:
        scanner.capture(request).result(timeout=30)
    assert caught.value.code == code
    assert words in caught.value.message("en")
    assert caught.value.message("sq") != caught.value.message("en")


def test_device_reported_timeout(scanner: SbiScanner) -> None:
    request = CaptureRequest.for_slap(Slap.LEFT, timeout_s=0.3, options={"sim.mode": "timeout"})
    with pytest.raises(CaptureTimedOut) as caught:
        scanner.capture(request).result(timeout=30)
    assert caught.value.code == 502


def test_device_that_never_answers_times_out(simulator: SbiSimulator) -> None:
    with SbiScanner(simulator.url, read_grace_s=0.3) as client:
        request = CaptureRequest.for_slap(Slap.LEFT, timeout_s=0.2, options={"sim.mode": "hang"})
        started = time.monotonic()
        with pytest.raises(CaptureTimedOut):
            client.capture(request).result(timeout=30)
        assert time.monotonic() - started < 5


def test_scanner_gone_mid_way(scanner: SbiScanner, simulator: SbiSimulator) -> None:
    scanner.capture(CaptureRequest.single(Finger.LEFT_INDEX)).result(timeout=30)
    simulator.stop()
    with pytest.raises(ScannerDisconnected) as caught:
        scanner.capture(CaptureRequest.single(Finger.LEFT_MIDDLE)).result(timeout=30)
    assert "lost" in caught.value.message("en")
    assert "ndërpre" in caught.value.message("sq")


def test_scanner_never_there(closed_port: int) -> None:
    with SbiScanner(f"http://127.0.0.1:{closed_port}") as client:
        with pytest.raises(ScannerNotFound):
            client.device_info()
        with pytest.raises(ScannerNotFound):
            client.capture(CaptureRequest.single(Finger.LEFT_INDEX)).result(timeout=30)


def test_callback_runs_off_the_callers_thread(scanner: SbiScanner) -> None:
    seen: list[tuple[str, int]] = []
    done = threading.Event()

    def on_done(future) -> None:
        seen.append((threading.current_thread().name, len(future.result().fingers)))
        done.set()

    future = scanner.capture(CaptureRequest.for_slap(Slap.THUMBS), on_done=on_done)
    assert done.wait(30)
    assert future.done()
    assert seen[0][1] == 2
    assert seen[0][0] != threading.current_thread().name


def test_simulator_speaks_sbi_1_0_verbs_and_signs_data(simulator: SbiSimulator) -> None:
    from devices.fingerprint import jws

    with httpx.Client() as client:
        disc = client.request("SBIDISC", f"{simulator.url}/device", json={"type": "Finger"})
        assert disc.json()[0]["deviceStatus"] == "Ready"
        info = client.request("SBIINFO", f"{simulator.url}/info", json={"type": "Finger"})
        token = info.json()[0]["deviceInfo"]
        assert jws.header(token)["alg"] == "RS256"
        assert jws.payload(token)["deviceStatus"] == "Ready"
        iris = client.request("MOSIPDISC", f"{simulator.url}/device", json={"type": "Iris"})
        assert iris.json() == []
        body = {
            "purpose": "Registration",
            "bio": [
                {"type": "Finger", "deviceSubId": "1", "bioSubType": ["Right Thumb"], "count": 1}
            ],
        }
        wrong = client.request("RCAPTURE", f"{simulator.url}/capture", content=json.dumps(body))
        assert wrong.json()["biometrics"][0]["error"]["errorCode"] == "109"


def test_simulator_spec_owns_its_simulator() -> None:
    scanner = DEVICES.fingerprint_scanner("simulator:3")
    url = scanner.url  # type: ignore[attr-defined]
    try:
        assert scanner.device_info().make == "Simulated"
        shots = scanner.capture(CaptureRequest.single(Finger.LEFT_INDEX)).result(timeout=30)
        assert shots.fingers[0].detected
    finally:
        scanner.close()
    with pytest.raises(httpx.ConnectError):
        httpx.request("MOSIPDISC", f"{url}/device", json={"type": "Finger"})


# -- what the client sends ------------------------------------------------------------------


def test_capture_request_carries_count_score_and_exceptions(
    scanner: SbiScanner, simulator: SbiSimulator
) -> None:
    request = CaptureRequest.for_slap(
        Slap.RIGHT, exceptions=(Finger.RIGHT_RING,), requested_score=55, timeout_s=4.0
    )
    scanner.capture(request).result(timeout=30)
    sent = simulator.last_capture_request
    assert sent is not None
    assert (sent["purpose"], sent["timeout"]) == ("Registration", 4000)
    (bio,) = sent["bio"]
    assert bio["type"] == "Finger" and bio["deviceSubId"] == "2"
    assert bio["count"] == 3
    assert bio["bioSubType"] == ["Right IndexFinger", "Right MiddleFinger", "Right LittleFinger"]
    assert bio["exception"] == ["Right RingFinger"]
    assert bio["requestedScore"] == 55
    assert bio["deviceId"] == simulator.serial_no

    scanner.capture(CaptureRequest.single(Finger.LEFT_THUMB, requested_score=70)).result(30)
    (bio,) = simulator.last_capture_request["bio"]
    assert (bio["count"], bio["exception"], bio["requestedScore"]) == (1, [], 70)
    assert (bio["bioSubType"], bio["deviceSubId"]) == (["Left Thumb"], "3")


# -- discovery verbs ------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["MOSIPDISC", "SBIDISCOVER", "SBIDISC"])
def test_discovery_finds_a_service_that_knows_only_one_verb(verb: str) -> None:
    with SbiSimulator(discovery_verbs=(verb,)) as sim:
        with httpx.Client() as raw:
            others = [v for v in ("MOSIPDISC", "SBIDISCOVER", "SBIDISC") if v != verb]
            for other in others:
                refused = raw.request(other, f"{sim.url}/device", json={"type": "Finger"})
                assert refused.status_code == 501
        sim.requests.clear()
        found = discover(ports=range(sim.port, sim.port + 1))
        assert [d.url for d in found] == [sim.url]
        tried = [v for v, path in sim.requests if path == "/device"]
        # The spec's verb first; an older one only after the device refused it.
        assert tried[0] == "MOSIPDISC" and tried[-1] == verb
        assert tried.count(verb) == 1


# -- status ---------------------------------------------------------------------------------


def _wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_status_is_connected_after_discovery() -> None:
    with SbiSimulator() as sim:
        heard: list[DeviceStatus] = []
        # The next port is closed or another service: discovery skips it or ranks it after.
        scanner = open_scanner(f"sbi:127.0.0.1:{sim.port}-{sim.port + 1}", on_status=heard.append)
        try:
            assert scanner.url == sim.url  # type: ignore[attr-defined]
            # Known from the discovery answer, before any further request.
            assert scanner.status.state is DeviceState.CONNECTED
            assert heard == []
        finally:
            scanner.close()
        assert scanner.status.state is DeviceState.CLOSED
        assert [s.state for s in heard] == [DeviceState.CLOSED]


def test_status_before_contact_then_from_device_info(
    scanner: SbiScanner, simulator: SbiSimulator
) -> None:
    assert scanner.status.state is DeviceState.CLOSED
    scanner.device_info()
    assert scanner.status.state is DeviceState.CONNECTED
    simulator.configure(mode="busy")
    scanner.device_info()
    assert scanner.status.state is DeviceState.BUSY
    simulator.configure(mode="not_ready")
    scanner.device_info()
    status = scanner.status
    assert status.state is DeviceState.ERROR
    assert "not ready" in status.message("en") and status.message("sq") != status.message("en")
    simulator.configure(mode="ready")
    scanner.device_info()
    assert scanner.status == DeviceStatus(DeviceState.CONNECTED)


def test_status_is_busy_during_a_capture(simulator: SbiSimulator) -> None:
    simulator.capture_delay_s = 0.8
    heard: list[DeviceStatus] = []
    with SbiScanner(simulator.url, on_status=heard.append) as client:
        client.device_info()
        future = client.capture(CaptureRequest.for_slap(Slap.LEFT))
        assert _wait_for(lambda: client.status.state is DeviceState.BUSY)
        assert not future.done()  # busy while the device is still capturing
        # Asking for device info meanwhile (the status bar does) does not undo BUSY.
        client.device_info()
        assert client.status.state is DeviceState.BUSY
        assert future.result(timeout=30).fingers
        assert client.status.state is DeviceState.CONNECTED
    assert [s.state for s in heard] == [
        DeviceState.CONNECTED,
        DeviceState.BUSY,
        DeviceState.CONNECTED,
        DeviceState.CLOSED,
    ]


def test_failed_placement_leaves_the_scanner_connected(scanner: SbiScanner) -> None:
    request = CaptureRequest.for_slap(Slap.LEFT, options={"sim.mode": "error:101"})
    with pytest.raises(CaptureFailed):
        scanner.capture(request).result(timeout=30)
    assert scanner.status.state is DeviceState.CONNECTED


def test_status_is_an_error_with_reason_when_the_simulator_stops(
    scanner: SbiScanner, simulator: SbiSimulator
) -> None:
    heard: list[DeviceStatus] = []
    scanner.capture(CaptureRequest.single(Finger.LEFT_INDEX)).result(timeout=30)
    assert scanner.status.state is DeviceState.CONNECTED
    scanner._on_status = heard.append  # noqa: SLF001 - listen from here on only
    simulator.stop()
    with pytest.raises(ScannerDisconnected) as caught:
        scanner.capture(CaptureRequest.single(Finger.LEFT_MIDDLE)).result(timeout=30)
    status = scanner.status
    assert status.state is DeviceState.ERROR
    assert status.message("en") == caught.value.message("en") and "lost" in status.message("en")
    assert "ndërpre" in status.message("sq")
    assert heard == [status]  # reported from the capture worker
    with pytest.raises(ScannerDisconnected):
        scanner.device_info()
    assert scanner.status == status


def test_status_of_a_scanner_never_there(closed_port: int) -> None:
    with SbiScanner(f"http://127.0.0.1:{closed_port}") as client:
        with pytest.raises(ScannerNotFound):
            client.device_info()
        assert client.status.state is DeviceState.ERROR
        assert "not found" in client.status.message("en")


def test_simulator_backend_reports_its_status() -> None:
    heard: list[DeviceStatus] = []
    scanner = DEVICES.fingerprint_scanner("simulator:4", on_status=heard.append)
    try:
        assert scanner.status.state is DeviceState.CONNECTED
        simulator = scanner.simulator  # type: ignore[attr-defined]
        simulator.configure(mode="not_ready")
        with pytest.raises(ScannerNotReady):
            scanner.capture(CaptureRequest.single(Finger.LEFT_INDEX)).result(timeout=30)
        assert scanner.status.state is DeviceState.ERROR
    finally:
        scanner.close()
    assert [s.state for s in heard] == [
        DeviceState.CONNECTED,
        DeviceState.ERROR,
        DeviceState.CLOSED,
    ]


# -- hostile answers ------------------------------------------------------------------------


class _HostileDevice(BaseHTTPRequestHandler):
    """Answers every SBI verb with one fixed body (set on the class by the test)."""

    body = b""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_MOSIPDINFO = do_RCAPTURE = do_CAPTURE = do_POST = _answer  # noqa: N815

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"deviceInfo": ' * 40 + b"1" + b"}" * 40, b"\xff\xfe"],
    ids=["100000-deep", "40-deep", "not-utf8"],
)
def test_a_hostile_answer_is_a_protocol_error_not_a_crash(body: bytes) -> None:
    handler = type("Hostile", (_HostileDevice,), {"body": body})
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with SbiScanner(f"http://127.0.0.1:{server.server_port}") as client:
            with pytest.raises(ScannerProtocolError):
                client.device_info()
    finally:
        server.shutdown()
        server.server_close()
