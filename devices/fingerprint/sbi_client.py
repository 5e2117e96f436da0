"""Client of a MOSIP SBI 1.0 (and 0.9.5) fingerprint device service on the local machine.

The service speaks JSON over HTTP on 127.0.0.1 with custom verbs: ``MOSIPDISC /device``
(discovery; older services answer ``SBIDISCOVER`` or ``SBIDISC``), ``MOSIPDINFO /info``
(device info) and
``RCAPTURE /capture`` (registration capture). Device data comes as JWS tokens whose payload
we read; see ``jws`` for why signatures are not checked here.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from devices.fingerprint import jws
from issuance.errors import IssuanceError
from issuance.ports import limits
from issuance.ports.fingerprint import CaptureCallback
from issuance.ports.fingerprint_errors import (
    CaptureFailed,
    CaptureTimedOut,
    FingerRecordRefused,
    ScannerBusy,
    ScannerDisconnected,
    ScannerError,
    ScannerNotFound,
    ScannerNotReady,
    ScannerProtocolError,
    error_for_code,
    error_for_status,
)
from issuance.ports.fingerprint_images import read_record
from issuance.ports.fingerprint_model import (
    CaptureRequest,
    CaptureResult,
    DeviceInfo,
    Finger,
    FingerImage,
)
from issuance.ports.status import (
    BUSY,
    CLOSED,
    CONNECTED,
    DeviceStatus,
    DeviceStatusCallback,
    StatusKeeper,
)

log = logging.getLogger(__name__)

# MOSIPDISC is the verb of SBI 0.9.5 and 1.0; SBIDISCOVER and SBIDISC are what older services
# (and older copies of the spec) answer, so a port that refuses one verb is asked the next.
DISCOVER_VERBS = ("MOSIPDISC", "SBIDISCOVER", "SBIDISC")
INFO_VERBS = ("MOSIPDINFO", "SBIINFO")
NO_FINGER = 101
_EMPTY_HASH = hashlib.sha256(b"").hexdigest().upper()


@dataclass(frozen=True)
class DiscoveredDevice:
    """One device a service announced during discovery."""

    port: int
    url: str
    device_id: str
    status: str
    device_sub_ids: tuple[int, ...]
    device_type: str
    device_sub_type: str
    make: str
    model: str


def discover(
    host: str = "127.0.0.1",
    ports: range = range(4501, 4601),
    device_type: str = "Finger",
    connect_timeout: float = 0.3,
    read_timeout: float = 2.0,
) -> list[DiscoveredDevice]:
    """Ask every port of the range for SBI devices of ``device_type``; silent ports are skipped.

    On loopback a closed port refuses at once, so a full 100-port sweep takes milliseconds.
    """
    found: list[DiscoveredDevice] = []
    timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
    with httpx.Client(timeout=timeout) as client:
        for port in ports:
            url = f"http://{host}:{port}"
            for entry in _discover_port(client, url, device_type):
                found.append(_discovered(port, url, entry))
    return found


def _discover_port(client: httpx.Client, url: str, device_type: str) -> list[dict[str, Any]]:
    for verb in DISCOVER_VERBS:
        try:
            response = client.request(verb, f"{url}/device", json={"type": device_type})
        except httpx.HTTPError:
            return []
        if response.status_code == 200:
            try:
                body = limits.parse_json(response.content, limits.SBI_ANSWER_MAX_BYTES,
                                         storable=False)  # fmt: skip
            except ValueError:
                return []
            entries = body if isinstance(body, list) else [body]
            return [e for e in entries if isinstance(e, dict) and _error_code(e) == 0]
    return []


def _discovered(port: int, url: str, entry: dict[str, Any]) -> DiscoveredDevice:
    digital = _digital_id(entry.get("digitalId"))
    callback = str(entry.get("callbackId") or url).rstrip("/")
    return DiscoveredDevice(
        port=port,
        url=callback if callback.startswith("http") else url,
        device_id=str(entry.get("deviceId") or entry.get("serialNo") or ""),
        status=str(entry.get("deviceStatus", "")),
        device_sub_ids=_sub_ids(entry.get("deviceSubId")),
        device_type=str(digital.get("type", "")),
        device_sub_type=str(digital.get("deviceSubType", "")),
        make=str(digital.get("make", "")),
        model=str(digital.get("model", "")),
    )


class SbiScanner(StatusKeeper):
    """A ``FingerprintScanner`` backed by an SBI device service at ``url``.

    ``discovered`` (the discovery answer that led here) gives the status before the first
    call; ``on_status`` is called with every change of ``status``, from whichever thread
    learnt it (the capture worker, or the caller of ``device_info``).
    """

    def __init__(
        self,
        url: str,
        env: str | None = None,
        connect_timeout: float = 1.0,
        info_timeout: float = 3.0,
        read_grace_s: float = 5.0,
        *,
        discovered: DiscoveredDevice | None = None,
        on_status: DeviceStatusCallback | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._env = env
        self._connect_timeout = connect_timeout
        self._info_timeout = info_timeout
        self._read_grace_s = read_grace_s
        self._http = httpx.Client(timeout=httpx.Timeout(info_timeout, connect=connect_timeout))
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sbi-capture")
        self._lock = threading.Lock()
        self._reached = False
        self._info: DeviceInfo | None = None
        self._previous_hash = _EMPTY_HASH
        super().__init__(
            CLOSED if discovered is None else _status_for_device(discovered.status), on_status
        )
        self._capturing = False

    def device_info(self) -> DeviceInfo:
        """Current info of the first finger device the service reports (short timeouts)."""
        try:
            info = self._read_info()
        except ScannerError as error:
            self._report(_status_for_error(error))
            raise
        with self._lock:
            # Our own capture makes the device say Busy; that is still BUSY, not news.
            capturing = self._capturing
        if not capturing:
            self._report(_status_for_device(info.status))
        return info

    def _read_info(self) -> DeviceInfo:
        entries = self._call_info()
        for entry in entries:
            code = _error_code(entry)
            raw = entry.get("deviceInfo")
            if code or not raw:
                continue
            info = _device_info(jws.payload(raw), self.url)
            if info.device_sub_type and info.device_sub_type not in ("Slap", "Single", "Touchless"):
                continue
            with self._lock:
                self._info = info
            return info
        codes = [_error_code(e) for e in entries if _error_code(e)]
        if codes:
            raise error_for_code(codes[0])
        raise ScannerNotFound(self.url)

    def capture(
        self, request: CaptureRequest, on_done: CaptureCallback | None = None
    ) -> Future[CaptureResult]:
        future = self._worker.submit(self._capture_now, request)
        if on_done is not None:
            future.add_done_callback(on_done)
        return future

    def reset_chain(self) -> None:
        """Start a new hash chain (``previousHash``), as for a new applicant."""
        with self._lock:
            self._previous_hash = _EMPTY_HASH

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
        self._http.close()
        self._report(CLOSED)

    def __enter__(self) -> SbiScanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------------

    def _call_info(self) -> list[dict[str, Any]]:
        for verb in INFO_VERBS:
            response = self._send(verb, "/info", {"type": "Finger"}, self._info_timeout, False)
            if response.status_code == 200:
                body = _json(response)
                entries = body if isinstance(body, list) else [body]
                return [e for e in entries if isinstance(e, dict)]
        raise ScannerProtocolError(f"device info refused with HTTP {response.status_code}")

    def _capture_now(self, request: CaptureRequest) -> CaptureResult:
        # Fresh info each time: it is cheap on loopback and tells busy or unplugged devices
        # apart before the clerk waits out a capture timeout.
        info = self.device_info()
        refusal = error_for_status(info.status)
        if refusal is not None:
            raise refusal
        with self._lock:
            self._capturing = True
        self._report(BUSY)
        after = CONNECTED
        try:
            return self._capture_placement(request, info)
        except ScannerError as error:
            after = _status_for_error(error)
            raise
        finally:
            with self._lock:
                self._capturing = False
            self._report(after)

    def _capture_placement(self, request: CaptureRequest, info: DeviceInfo) -> CaptureResult:
        log.debug("capture of slap %s, %d finger(s)", request.slap.name, len(request.fingers))
        transaction_id = uuid.uuid4().hex
        with self._lock:
            previous_hash = self._previous_hash
        body = _capture_body(request, info, self._env, transaction_id, previous_hash)
        read_timeout = request.timeout_s + self._read_grace_s
        response = self._send("RCAPTURE", "/capture", body, read_timeout, True)
        if response.status_code != 200:
            raise ScannerProtocolError(f"capture refused with HTTP {response.status_code}")
        result = _capture_result(_json(response), request, transaction_id)
        if result.last_hash:
            with self._lock:
                self._previous_hash = result.last_hash
        return result

    def _send(
        self, verb: str, path: str, body: dict[str, Any], read_timeout: float, capturing: bool
    ) -> httpx.Response:
        timeout = httpx.Timeout(read_timeout, connect=self._connect_timeout)
        try:
            response = self._http.request(verb, self.url + path, json=body, timeout=timeout)
        except httpx.ConnectError as exc:
            raise (ScannerDisconnected() if self._reached else ScannerNotFound(self.url)) from exc
        except httpx.ConnectTimeout as exc:
            raise ScannerNotFound(self.url) from exc
        except httpx.ReadTimeout as exc:
            if capturing:
                raise CaptureTimedOut() from exc
            raise ScannerNotReady("pajisja nuk përgjigjet", "the device does not answer") from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise ScannerDisconnected() from exc
        except httpx.HTTPError as exc:
            raise ScannerProtocolError(type(exc).__name__) from exc
        self._reached = True
        return response


def _status_for_device(device_status: str) -> DeviceStatus:
    """The status for a ``deviceStatus`` the device reported (discovery or device info)."""
    refusal = error_for_status(device_status)
    return CONNECTED if refusal is None else _status_for_error(refusal)


def _status_for_error(error: ScannerError) -> DeviceStatus:
    if isinstance(error, ScannerBusy):
        return BUSY
    if isinstance(error, CaptureFailed | CaptureTimedOut):
        # The device answered: this placement failed, the scanner itself is still there.
        return CONNECTED
    return DeviceStatus.error(error.sq, error.en)


def _capture_body(
    request: CaptureRequest,
    info: DeviceInfo,
    env: str | None,
    transaction_id: str,
    previous_hash: str,
) -> dict[str, Any]:
    device_env = info.env if info.env not in ("", "None") else "Staging"
    options = {str(k): v for k, v in request.options.items()}
    return {
        "env": env or device_env,
        "purpose": "Registration",
        "specVersion": info.spec_versions[0] if info.spec_versions else "0.9.5",
        "timeout": int(request.timeout_s * 1000),
        "captureTime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "transactionId": transaction_id,
        "bio": [
            {
                "type": "Finger",
                "count": len(request.fingers),
                "bioSubType": [f.value for f in request.fingers],
                "exception": [f.value for f in request.exceptions],
                "requestedScore": request.requested_score,
                "deviceId": info.device_id or info.serial_no,
                "serialNo": info.serial_no,
                "deviceSubId": str(request.slap.value),
                "previousHash": previous_hash,
            }
        ],
        "customOpts": options,
    }


def _capture_result(body: Any, request: CaptureRequest, transaction_id: str) -> CaptureResult:
    if isinstance(body, list) and body and isinstance(body[0], dict) and "deviceInfo" in body[0]:
        # Some services answer a concurrent capture with their device info marked Busy.
        status = jws.payload(body[0]["deviceInfo"]).get("deviceStatus", "")
        raise error_for_status(str(status)) or ScannerProtocolError("device info instead of data")
    entries = body.get("biometrics") if isinstance(body, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ScannerProtocolError("capture response has no biometrics")
    parsed = [_parse_biometric(e) for e in entries if isinstance(e, dict)]
    if all(p.image is None for p in parsed):
        codes = [p.code for p in parsed if p.code]
        raise error_for_code(codes[0] if codes else NO_FINGER)
    images = _assign_fingers(parsed, request)
    hashes = [str(e.get("hash") or "") for e in entries if isinstance(e, dict)]
    return CaptureResult(
        tuple(images), transaction_id, next((h for h in reversed(hashes) if h), "")
    )


@dataclass(frozen=True)
class _Shot:
    """One ``biometrics`` entry: the finger it names, its record and pixels, or its error."""

    sub_type: str
    quality: float
    image: Any
    code: int
    record: bytes | None = None
    position: Finger | None = None


def _parse_biometric(entry: dict[str, Any]) -> _Shot:
    """One ``biometrics`` entry, its ``bioValue`` read as an ISO/IEC 19794-4:2011 record.

    The record must be one finger, of the position the entry's ``bioSubType`` names, at
    500 ppi, with an image we can decode (``fingerprint_images.read_record``); anything else
    is refused with the record's reason (``FingerRecordRefused``), never searched for an
    image. The quality is the device's ``qualityScore``.
    """
    code = _error_code(entry)
    raw = entry.get("data")
    if not raw:
        return _Shot("", 0.0, None, code or NO_FINGER)
    try:
        data = jws.payload(raw)
    except ValueError as exc:
        raise ScannerProtocolError("biometric data is not a JWS") from exc
    if str(data.get("bioType", "Finger")) != "Finger":
        raise ScannerProtocolError(f"unexpected bioType {data.get('bioType')!r}")
    sub_type = str(data.get("bioSubType") or "UNKNOWN")
    value = data.get("bioValue") or ""
    image = record = position = None
    if value and code == 0:
        named = _finger_named(sub_type)
        try:
            record = jws.b64url_decode(value)
            representation, image = read_record(record, named)
        except IssuanceError as exc:
            raise FingerRecordRefused(exc) from exc
        except ValueError as exc:
            raise ScannerProtocolError("bioValue is not base64url") from exc
        position = representation.finger
    try:
        quality = float(data.get("qualityScore") or 0.0)
    except (TypeError, ValueError) as exc:
        raise ScannerProtocolError("qualityScore is not a number") from exc
    code = code or (0 if image is not None else NO_FINGER)
    return _Shot(sub_type, quality, image, code, record, position)


def _finger_named(sub_type: str) -> Finger | None:
    try:
        return Finger.from_sbi(sub_type)
    except ValueError:
        return None  # "UNKNOWN": the record's own position says which finger it is


def _assign_fingers(parsed: list[_Shot], request: CaptureRequest) -> list[FingerImage]:
    by_finger: dict[Finger, FingerImage] = {}
    unknown: list[_Shot] = []
    for shot in parsed:
        finger = _finger_named(shot.sub_type) or shot.position
        if finger is None:
            unknown.append(shot)
        elif finger in request.fingers:
            by_finger[finger] = _finger_image(finger, shot)
    # Unplaced entries come index-to-little (SBI spec), so fill the open slots in that order.
    open_slots = [f for f in request.fingers if f not in by_finger]
    for finger, shot in zip(open_slots, unknown, strict=False):
        by_finger[finger] = _finger_image(finger, shot)
    return [by_finger.get(f) or FingerImage(f, None, 0.0, NO_FINGER) for f in request.fingers]


def _finger_image(finger: Finger, shot: _Shot) -> FingerImage:
    return FingerImage(finger, shot.image, shot.quality, shot.code, record=shot.record)


def _device_info(data: dict[str, Any], url: str) -> DeviceInfo:
    digital = _digital_id(data.get("digitalId"))
    spec = data.get("specVersion") or []
    return DeviceInfo(
        status=str(data.get("deviceStatus", "")),
        serial_no=str(data.get("serialNo") or digital.get("serialNo") or ""),
        make=str(digital.get("make", "")),
        model=str(digital.get("model", "")),
        device_sub_type=str(digital.get("deviceSubType", "")),
        device_provider=str(digital.get("deviceProvider", "")),
        certification=str(data.get("certification", "")),
        service_version=str(data.get("serviceVersion", "")),
        firmware=str(data.get("firmware", "")),
        purpose=str(data.get("purpose", "")),
        env=str(data.get("env", "")),
        spec_versions=tuple(str(v) for v in (spec if isinstance(spec, list) else [spec])),
        device_sub_ids=_sub_ids(data.get("deviceSubId")),
        callback_url=str(data.get("callbackId") or url),
        device_id=str(data.get("deviceId") or ""),
    )


def _digital_id(raw: Any) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        return jws.payload(raw)
    except ValueError:
        return {}


def _sub_ids(raw: Any) -> tuple[int, ...]:
    values = raw if isinstance(raw, list) else [raw]
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return tuple(ids)


def _error_code(entry: dict[str, Any]) -> int:
    error = entry.get("error") or {}
    raw = error.get("errorCode", error.get("errorcode", 0)) if isinstance(error, dict) else 0
    try:
        return int(raw or 0)
    except (TypeError, ValueError):
        return -1


def _json(response: httpx.Response) -> Any:
    try:
        return limits.parse_json(response.content, limits.SBI_ANSWER_MAX_BYTES, storable=False)
    except ValueError as exc:
        # Not JSON, nested too deep, or too large: a device answering this is faulty.
        raise ScannerProtocolError(f"unusable answer: {exc}") from exc


__all__ = ["DiscoveredDevice", "SbiScanner", "ScannerError", "discover"]
