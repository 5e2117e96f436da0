"""A simulated SBI fingerprint slap scanner speaking the real protocol over HTTP on loopback.

Run it in-process (``SbiSimulator(...).start()`` / ``.stop()``) or as a program::

    python -m devtools.sbi_simulator.server --port 4501 --seed 7

Verbs: ``MOSIPDISC``/``SBIDISC``/``SBIDISCOVER`` on ``/device``, ``MOSIPDINFO``/``SBIINFO`` on
``/info``, ``RCAPTURE`` on ``/capture``. Each finger's ``bioValue`` is an ISO/IEC 19794-4:2011
finger image record (base64url) of a synthetic ridge pattern (see ``synthetic``): 500 ppi,
8-bit greyscale, its finger position matching ``bioSubType``, the image PNG-compressed (code 6)
or, when asked, WSQ (2), JPEG (3) or uncompressed (0). ``qualityScore`` is the simulator's own
ridge-clarity score (0-100), not NFIQ 2; the record's quality block names no algorithm.

Signing: device info and capture data are compact JWS with ``alg: RS256`` and an ``x5c``
self-signed demo certificate, using an RSA key generated when the simulator starts. They are
demo keys: nothing trusts them, which is fine because the desk never verifies them.

Switches, for the whole device (``POST /admin/behaviour`` with JSON, or ``configure()``) or
for one capture (``customOpts`` keys prefixed ``sim.``):

- ``mode``: ``ready`` | ``busy`` (status Busy, captures answer 501) | ``not_ready`` (status
  Not Ready, captures answer 503) | ``timeout`` (waits the request's timeout, answers 502) |
  ``hang`` (never answers until stopped) | ``error:<code>`` (answers that SBI error code)
- ``lowQuality``: finger names (or ``"all"``) captured smudged; as an object
  ``{finger: n}`` only the next ``n`` captures of that finger are smudged
- ``missing``: finger names the device does not see (error 101 for those fingers)
- ``compression``: ``png`` (default) | ``wsq`` | ``jpeg`` | ``raw``: the records' image data
- ``record`` (``customOpts`` only): a faulty record, as a broken device would send it:
  ``bare_png`` (the image alone, no record), ``wrong_position`` (the record of another finger),
  ``wrong_resolution`` (250 ppi), ``bad_length`` (a record length one byte too long)

``discovery_verbs`` (constructor) limits the discovery verbs the device knows, as services
written to one edition of the spec do; any other verb is answered 501 like an unknown method.
For tests, ``last_capture_request`` keeps the body of the latest RCAPTURE and ``requests``
the latest (verb, path) pairs received.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import functools
import hashlib
import json
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from devices.fingerprint.jws import b64url_encode
from devtools.sbi_simulator import synthetic
from issuance.ports.fingerprint_errors import BUSY, NOT_READY, TIMED_OUT
from issuance.ports.fingerprint_images import finger_template, png_bytes
from issuance.ports.fingerprint_model import Finger, Slap
from issuance.ports.iso19794_4 import POSITION, Compression

# The request's customOpts by name (a 0.9.5 {name, value} pair may come without a name).
Opts = dict[str | None, Any]

_SPEC_VERSIONS = ["0.9.5", "1.0.0"]
_HANG_LIMIT_S = 120.0
DISCOVERY_VERBS = ("MOSIPDISC", "SBIDISC", "SBIDISCOVER")
COMPRESSIONS = {
    "png": Compression.PNG,
    "wsq": Compression.WSQ,
    "jpeg": Compression.JPEG,
    "raw": Compression.UNCOMPRESSED,
}
# In a one-finger record with one quality block and no certification: 16 (general header)
# + 18 + 1 + 5 + 1 (position) + 1 + 1 + 2 + 2 = 47, where the image sampling rates begin.
_IMAGE_RATE_OFFSET = 47


def _neighbour(finger: Finger) -> Finger:
    """Another finger of the same hand, for the ``wrong_position`` fault."""
    others = [f for f in POSITION if f is not finger and f.is_left == finger.is_left]
    return others[0]


@dataclass
class Behaviour:
    """What the simulated device does on its next captures."""

    mode: str = "ready"
    low_quality: dict[str, int] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    compression: str = "png"


class SbiSimulator:
    """An SBI 1.0 slap scanner (device sub ids 1, 2, 3) on ``127.0.0.1``.

    ``port=0`` takes any free port; ``port_range`` takes the first free port of the range,
    as a real SBI service does within 4501-4600.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        port_range: tuple[int, int] | None = None,
        seed: int = 1,
        capture_delay_s: float = 0.02,
        serial_no: str = "SIMFP0000000001",
        discovery_verbs: tuple[str, ...] = DISCOVERY_VERBS,
    ) -> None:
        self.host = host
        self.seed = seed
        self.serial_no = serial_no
        self.capture_delay_s = capture_delay_s
        self._ports = (
            range(port_range[0], port_range[1] + 1) if port_range else range(port, port + 1)
        )
        self._behaviour = Behaviour()
        self._lock = threading.Lock()
        self._capturing = threading.Lock()
        self._stopping = threading.Event()
        self._attempts: dict[str, int] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._key: rsa.RSAPrivateKey | None = None
        self._x5c = ""
        self.captures = 0
        unknown = set(discovery_verbs) - set(DISCOVERY_VERBS)
        if unknown or not discovery_verbs:
            raise ValueError(f"discovery verbs must be some of {DISCOVERY_VERBS}")
        self.discovery_verbs = tuple(discovery_verbs)
        self.last_capture_request: dict[str, Any] | None = None
        self.requests: deque[tuple[str, str]] = deque(maxlen=200)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> SbiSimulator:
        self._key, self._x5c = _demo_key(self.serial_no)
        self._server = self._bind()
        self._server.simulator = self  # type: ignore[attr-defined]
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="sbi-simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> SbiSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("simulator not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def configure(
        self,
        mode: str | None = None,
        low_quality: dict[str, int] | list[str] | str | None = None,
        missing: list[str] | None = None,
        compression: str | None = None,
    ) -> None:
        """Change the device's behaviour for the captures that follow."""
        if compression is not None and compression not in COMPRESSIONS:
            raise ValueError(f"compression is one of {sorted(COMPRESSIONS)}")
        with self._lock:
            if compression is not None:
                self._behaviour.compression = compression
            if mode is not None:
                self._behaviour.mode = mode
            if low_quality is not None:
                self._behaviour.low_quality = _low_quality_map(low_quality)
            if missing is not None:
                self._behaviour.missing = set(missing)

    def behaviour(self) -> dict[str, Any]:
        with self._lock:
            return {
                "mode": self._behaviour.mode,
                "lowQuality": dict(self._behaviour.low_quality),
                "missing": sorted(self._behaviour.missing),
                "compression": self._behaviour.compression,
            }

    def _bind(self) -> ThreadingHTTPServer:
        last: OSError | None = None
        for port in self._ports:
            try:
                server = ThreadingHTTPServer((self.host, port), _Handler)
            except OSError as exc:
                last = exc
                continue
            server.daemon_threads = True
            return server
        raise OSError(f"no free port in {self._ports}") from last

    # -- protocol --------------------------------------------------------------------------

    def status(self) -> str:
        with self._lock:
            mode = self._behaviour.mode
        if mode == "not_ready":
            return "Not Ready"
        if mode == "busy" or self._capturing.locked():
            return "Busy"
        return "Ready"

    def discovery(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        if body.get("type", "Biometric Device") not in ("Finger", "Biometric Device"):
            return []
        return [
            {
                "deviceId": self.serial_no,
                "deviceStatus": self.status(),
                "certification": "L0",
                "serviceVersion": "1.0",
                "deviceSubId": ["1", "2", "3"],
                "callbackId": self.url + "/",
                "digitalId": b64url_encode(json.dumps(self._digital_id()).encode()),
                "deviceCode": self.serial_no,
                "specVersion": _SPEC_VERSIONS,
                "purpose": "Registration",
                "error": {"errorCode": "0", "errorInfo": "Success"},
            }
        ]

    def device_info(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        if body.get("type", "Biometric Device") not in ("Finger", "Biometric Device"):
            return [
                {"deviceInfo": "", "error": {"errorCode": "106", "errorInfo": "Device not found"}}
            ]
        info = {
            "deviceStatus": self.status(),
            "deviceId": self.serial_no,
            "serialNo": self.serial_no,
            "firmware": "SIM-1.0",
            "certification": "L0",
            "serviceVersion": "1.0",
            "deviceSubId": ["1", "2", "3"],
            "callbackId": self.url + "/",
            "digitalId": self._sign(self._digital_id()),
            "deviceCode": self.serial_no,
            "env": "Developer",
            "purpose": "Registration",
            "specVersion": _SPEC_VERSIONS,
        }
        return [{"deviceInfo": self._sign(info), "error": _error(0)}]

    def capture(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """The RCAPTURE answer, or None for a device that hangs until it is stopped."""
        with self._lock:
            self.last_capture_request = json.loads(json.dumps(body))
        try:
            bio = body["bio"][0]
            if bio.get("type") != "Finger" or body.get("purpose") != "Registration":
                return _failure(109, "Only finger registration captures are supported")
            slap = Slap(int(bio.get("deviceSubId", 0)))
            fingers = _requested_fingers(slap, bio)
        except (KeyError, IndexError, TypeError, ValueError):
            return _failure(109, "Requested biometrics not supported")
        opts = _custom_opts(body.get("customOpts"))
        mode = str(opts.get("sim.mode") or self._behaviour_mode())
        refusal = self._refusal(mode, body)
        if refusal is not None or mode == "hang":
            return refusal
        if not self._capturing.acquire(blocking=False):
            return _failure(BUSY, "Device busy")
        try:
            self._stopping.wait(self.capture_delay_s)
            return self._captured(body, bio, fingers, opts)
        finally:
            self._capturing.release()

    def _refusal(self, mode: str, body: dict[str, Any]) -> dict[str, Any] | None:
        if mode == "busy":
            return _failure(BUSY, "Device busy")
        if mode == "not_ready":
            return _failure(NOT_READY, "Device not ready")
        if mode.startswith("error:"):
            return _failure(int(mode.split(":", 1)[1]), "Simulated device error")
        if mode == "timeout":
            self._stopping.wait(min(float(body.get("timeout", 10000)) / 1000, 30.0))
            return _failure(TIMED_OUT, "Capture timed out")
        if mode == "hang":
            self._stopping.wait(_HANG_LIMIT_S)
        return None

    def _captured(
        self, body: dict[str, Any], bio: dict[str, Any], fingers: list[Finger], opts: Opts
    ) -> dict[str, Any]:
        missing, low = self._capture_switches(fingers, opts)
        previous = str(bio.get("previousHash") or hashlib.sha256(b"").hexdigest())
        entries = []
        for finger in fingers:
            attempt = self._next_attempt(finger)
            if finger in missing:
                entries.append(self._biometric(body, bio, finger, b"", 0.0, previous, 101))
                continue
            image = synthetic.render_finger(self.seed, finger.value, attempt, finger in low)
            quality = synthetic.estimate_quality(image)
            value = self._record(finger, image, quality, opts)
            entry = self._biometric(body, bio, finger, value, quality, previous, 0)
            previous = entry["hash"]
            entries.append(entry)
        with self._lock:
            self.captures += 1
        return {"biometrics": entries}

    def _record(self, finger: Finger, image: Any, quality: float, opts: Opts) -> bytes:
        """The finger's 19794-4 record, or the faulty value ``sim.record`` asks for."""
        with self._lock:
            name = str(opts.get("sim.compression") or self._behaviour.compression)
        compression = COMPRESSIONS.get(name, Compression.PNG)
        fault = str(opts.get("sim.record") or "")
        if fault == "bare_png":
            return png_bytes(image)
        shown = _neighbour(finger) if fault == "wrong_position" else finger
        record = bytearray(finger_template(shown, image, quality, compression))
        if fault == "wrong_resolution":  # image sampling rate, both axes, at 250 ppi
            offset = _IMAGE_RATE_OFFSET
            record[offset : offset + 4] = (250).to_bytes(2, "big") * 2
        if fault == "bad_length":
            record[8:12] = (len(record) + 1).to_bytes(4, "big")
        return bytes(record)

    def _capture_switches(
        self, fingers: list[Finger], opts: Opts
    ) -> tuple[set[Finger], set[Finger]]:
        names = {f.value for f in fingers}
        with self._lock:
            missing = set(self._behaviour.missing) | set(opts.get("sim.missing") or [])
            low_map = dict(self._behaviour.low_quality)
            low_map.update(_low_quality_map(opts.get("sim.lowQuality") or {}))
            low = set()
            for name, remaining in low_map.items():
                targets = names if name == "all" else {name} & names
                if remaining != 0 and targets:
                    low |= targets
                    if name in self._behaviour.low_quality and remaining > 0:
                        self._behaviour.low_quality[name] = remaining - 1
        return {Finger(n) for n in names & missing}, {Finger(n) for n in low}

    def _biometric(
        self,
        body: dict[str, Any],
        bio: dict[str, Any],
        finger: Finger,
        value: bytes,
        quality: float,
        previous: str,
        code: int,
    ) -> dict[str, Any]:
        data = {
            "digitalId": self._sign(self._digital_id()),
            "deviceCode": self.serial_no,
            "deviceServiceVersion": "1.0",
            "bioType": "Finger",
            "bioSubType": finger.value,
            "purpose": "Registration",
            "env": body.get("env", "Developer"),
            "bioValue": b64url_encode(value) if value else "",
            "transactionId": body.get("transactionId", ""),
            "timestamp": _now(),
            "requestedScore": float(bio.get("requestedScore") or 0),
            "qualityScore": quality,
        }
        chained = hashlib.sha256(bytes.fromhex(previous) + hashlib.sha256(value).digest())
        return {
            "specVersion": str(body.get("specVersion") or _SPEC_VERSIONS[0]),
            "data": self._sign(data),
            "hash": chained.hexdigest().upper(),
            "error": _error(code),
        }

    def _next_attempt(self, finger: Finger) -> int:
        with self._lock:
            self._attempts[finger.value] = self._attempts.get(finger.value, -1) + 1
            return self._attempts[finger.value]

    def _behaviour_mode(self) -> str:
        with self._lock:
            return self._behaviour.mode

    def _digital_id(self) -> dict[str, str]:
        return {
            "serialNo": self.serial_no,
            "make": "Simulated",
            "model": "SIM-SLAP-442",
            "type": "Finger",
            "deviceSubType": "Slap",
            "deviceProvider": "Issuance desk simulator",
            "deviceProviderId": "SIMULATOR",
            "dateTime": _now(),
        }

    def _sign(self, payload: dict[str, Any]) -> str:
        assert self._key is not None, "simulator not started"
        head = b64url_encode(
            json.dumps({"alg": "RS256", "typ": "JWT", "x5c": [self._x5c]}).encode()
        )
        body = b64url_encode(json.dumps(payload).encode())
        signing_input = f"{head}.{body}".encode()
        signature = self._key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return f"{head}.{body}.{b64url_encode(signature)}"


class _Handler(BaseHTTPRequestHandler):
    server_version = "SimulatedSBI/1.0"

    @property
    def sim(self) -> SbiSimulator:
        return self.server.simulator  # type: ignore[attr-defined]

    def do_MOSIPDISC(self) -> None:  # noqa: N802 - the HTTP verb names the method
        if self.command not in self.sim.discovery_verbs:
            # What http.server itself answers for a method it has no handler for.
            return self.send_error(501, f"Unsupported method ({self.command!r})")
        if self.path.rstrip("/") != "/device":
            return self._reply(404, {"error": "not found"})
        self._reply(200, self.sim.discovery(self._body()))

    do_SBIDISC = do_MOSIPDISC
    do_SBIDISCOVER = do_MOSIPDISC

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        if parsed:
            self.sim.requests.append((self.command, self.path))
        return parsed

    def do_MOSIPDINFO(self) -> None:  # noqa: N802
        if self.path.rstrip("/") != "/info":
            return self._reply(404, {"error": "not found"})
        self._reply(200, self.sim.device_info(self._body()))

    do_SBIINFO = do_MOSIPDINFO

    def do_RCAPTURE(self) -> None:  # noqa: N802
        if self.path.rstrip("/") != "/capture":
            return self._reply(404, {"error": "not found"})
        answer = self.sim.capture(self._body())
        if answer is None:
            self.close_connection = True
            return None
        self._reply(200, answer)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._reply(200, {})

    def do_GET(self) -> None:  # noqa: N802
        if self.path.rstrip("/") == "/admin/behaviour":
            return self._reply(200, self.sim.behaviour())
        self._reply(404, {"error": "not found"})

    def do_POST(self) -> None:  # noqa: N802
        if self.path.rstrip("/") != "/admin/behaviour":
            return self._reply(404, {"error": "not found"})
        body = self._body()
        try:
            self.sim.configure(
                body.get("mode"), body.get("lowQuality"), body.get("missing"),
                body.get("compression"),
            )  # fmt: skip
        except ValueError as refused:
            return self._reply(400, {"error": str(refused)})
        self._reply(200, self.sim.behaviour())

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return {}
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    def _reply(self, status: int, body: Any) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header(
            "Access-Control-Allow-Methods", "MOSIPDISC, MOSIPDINFO, RCAPTURE, GET, POST, OPTIONS"
        )
        self.send_header("Location", self.sim.url)
        self.end_headers()
        try:
            self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # Requests carry biometric data; nothing of it goes to stderr.
        return


def _requested_fingers(slap: Slap, bio: dict[str, Any]) -> list[Finger]:
    excepted = {Finger(n) for n in bio.get("exception") or []}
    names = [n for n in bio.get("bioSubType") or [] if n != "UNKNOWN"]
    fingers = [Finger(n) for n in names] or [f for f in slap.fingers if f not in excepted]
    fingers = [f for f in fingers if f not in excepted]
    count = int(bio.get("count") or len(fingers))
    if any(f.slap is not slap for f in fingers) or not fingers or count > len(slap.fingers):
        raise ValueError("fingers do not match the device sub id")
    return fingers[:count]


def _custom_opts(raw: Any) -> Opts:
    # SBI 1.0 sends an object; 0.9.5 clients send a list of {name, value} pairs.
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, list):
        return {i.get("name"): i.get("value") for i in raw if isinstance(i, dict)}
    return {}


def _low_quality_map(raw: Any) -> dict[str, int]:
    if isinstance(raw, str):
        return {raw: -1}
    if isinstance(raw, dict):
        return {str(k): int(v) for k, v in raw.items()}
    return {str(name): -1 for name in raw}


def _error(code: int) -> dict[str, str]:
    info = "Success" if code == 0 else "Unable to detect a biometric object" if code == 101 else ""
    return {"errorCode": str(code), "errorInfo": info}


def _failure(code: int, info: str) -> dict[str, Any]:
    return {
        "biometrics": [
            {
                "specVersion": _SPEC_VERSIONS[0],
                "data": "",
                "hash": "",
                "error": {"errorCode": str(code), "errorInfo": info},
            }
        ]
    }


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@functools.lru_cache(maxsize=8)
def _demo_key(serial_no: str) -> tuple[rsa.RSAPrivateKey, str]:
    # RSA key generation takes ~0.1-0.5 s; one demo key per serial number is plenty.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Simulated SBI {serial_no}")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return key, base64.b64encode(der).decode("ascii")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Simulated SBI fingerprint slap scanner")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4501)
    parser.add_argument("--port-range", help="first free port of LOW-HIGH, e.g. 4501-4600")
    parser.add_argument("--seed", type=int, default=1, help="which synthetic person")
    args = parser.parse_args(argv)
    port_range = None
    if args.port_range:
        low, high = (int(p) for p in args.port_range.split("-", 1))
        port_range = (low, high)
    simulator = SbiSimulator(args.host, args.port, port_range, args.seed).start()
    print(f"SBI simulator listening on {simulator.url} (seed {args.seed}); Ctrl-C stops it")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()


if __name__ == "__main__":
    main()
