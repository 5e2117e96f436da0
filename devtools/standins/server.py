"""A real HTTP server on loopback that puts one stand-in service behind its OpenAPI contract.

Every request is checked against the service's contract (path, method, parameters, API key,
body) before the service sees it; the service only handles valid requests. Fault switches
(see `faults`) are applied here, so every stand-in gets them the same way.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from devtools.standins.faults import FaultSwitch, parse_faults
from issuance.delivery.contracts import Contract, Operation, load_contract
from issuance.ports import limits

ADMIN_PREFIX = "/_sandbox/"


@dataclass
class Request:
    """A request that passed contract validation."""

    path_params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, code: str, message: str) -> Reply:
    """A reply with the contracts' common `Error` body."""
    return Reply(status, {"code": code, "message": message})


def decomposed(value: Any) -> Any:
    """`value` with every text (keys aside) in Unicode NFD."""
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, list):
        return [decomposed(v) for v in value]
    if isinstance(value, dict):
        return {k: decomposed(v) for k, v in value.items()}
    return value


class Service(Protocol):
    """What a stand-in implements; the server does routing, validation and faults."""

    contract_name: str

    def handle(self, op: Operation, request: Request) -> Reply: ...

    def summary(self) -> dict[str, Any]: ...


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Many desks connect at once; the default backlog of 5 drops their SYNs.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], stand_in: StandInServer) -> None:
        self.stand_in = stand_in
        self.stopping = threading.Event()
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, _Handler)


class StandInServer:
    """One service on one port; start() returns once it accepts connections."""

    def __init__(
        self,
        name: str,
        service: Service,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.name = name
        # Server-side TLS context (certificate loaded; may require client certificates).
        self.tls = tls
        self.service = service
        self.contract: Contract = load_contract(service.contract_name)
        self.faults = FaultSwitch()
        self.api_key = api_key
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = _Server((self.host, self.port), self)
        if self.tls is not None:
            # Handshakes happen on accept; a failed one only drops that connection.
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        # Keep the port so a stop/start cycle (an outage with refused connections) reuses it.
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-{self.name}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
        server.stopping.set()
        server.shutdown()
        server.server_close()
        with server.sockets_lock:
            sockets = list(server.open_sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if thread is not None:
            thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    # Idle keep-alive connections are dropped after this many seconds.
    timeout = 30

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this each answer waits ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.sockets_lock:
            self.server.open_sockets.add(self.connection)

    def finish(self) -> None:
        with self.server.sockets_lock:
            self.server.open_sockets.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # Paths carry personal numbers: nothing is logged.
        return

    def __getattr__(self, name: str) -> Any:
        # Every method (even QUERY or TRACE) is routed, so undocumented ones get 405, not 501.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def _dispatch(self) -> None:
        try:
            self._dispatch_checked()
        except Exception:  # never a dropped connection or a dead thread: an answer
            self._send(error(500, "INTERNAL", "internal error"), close=True)

    def _body(self) -> bytes | Reply:
        """The request's body, or the refusal: 413 over ``limits.STAND_IN_BODY_MAX_BYTES``
        (refused on the declared length, before reading), 400 for a length that is no number.
        Either way the connection closes: the unread body must not be taken for a request."""
        length = self.headers.get("Content-Length", "0").strip() or "0"
        if not length.isdigit():
            return error(400, "INVALID_REQUEST", "Content-Length is not a number")
        size = int(length)
        if size > limits.STAND_IN_BODY_MAX_BYTES:
            return error(
                413, "INVALID_REQUEST",
                f"the body is {size} bytes; at most {limits.STAND_IN_BODY_MAX_BYTES} are accepted",
            )  # fmt: skip
        return self.rfile.read(size) if size else b""

    def _dispatch_checked(self) -> None:
        stand_in = self.server.stand_in
        url = urlsplit(self.path)
        raw = self._body()
        if isinstance(raw, Reply):
            self._send(raw, close=True)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        if url.path.startswith(ADMIN_PREFIX):
            self._send(self._admin(stand_in, url.path, raw))
            return
        decision = stand_in.faults.decide(headers)
        if decision.latency_ms and self.server.stopping.wait(decision.latency_ms / 1000):
            return
        if decision.fail == "close":
            self.close_connection = True
            return
        if decision.fail == "503":
            self._send(
                error(503, "UNAVAILABLE", "service unavailable (sandbox outage)"), close=True
            )
            return
        if decision.fail == "500":
            self._send(error(500, "INTERNAL", "internal error (sandbox fault)"))
            return
        if decision.fail == "429":
            reply = error(429, "TOO_MANY_REQUESTS", "too many requests (sandbox fault)")
            reply.headers["Retry-After"] = "1"
            self._send(reply)
            return
        if decision.fail == "timeout" and self.server.stopping.wait(decision.hang_ms / 1000):
            return
        reply = self._serve(stand_in, url.path, dict(parse_qsl(url.query)), headers, raw)
        if decision.fail == "malformed" and reply.status < 300:
            self._send_raw(200, b'{"truncated": ', {})
            return
        if decision.fail == "schema" and reply.status < 300:
            reply = Reply(200, {"unexpected": ["not", "in", "the", "contract"]})
        if decision.fail == "nfd" and reply.status < 300:
            reply = Reply(reply.status, decomposed(reply.body), reply.headers)
        self._send(reply)

    def _serve(
        self,
        stand_in: StandInServer,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        raw: bytes,
    ) -> Reply:
        contract = stand_in.contract
        op, path_params, known = contract.match(self.command, path)
        if op is None:
            if known:
                allowed = sorted({o.method for o in contract.operations if o.regex.match(path)})
                reply = error(405, "INVALID_REQUEST", "method not allowed")
                reply.headers["Allow"] = ", ".join(allowed)
                return reply
            return error(404, "INVALID_REQUEST", "no such path in the contract")
        if stand_in.api_key is not None and headers.get("x-api-key") != stand_in.api_key:
            return error(401, "UNAUTHORIZED", "missing or wrong API key")
        body: Any = None
        has_body = bool(raw)
        if has_body:
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != "application/json":
                return error(400, "INVALID_REQUEST", "the body must be application/json")
            try:
                # A stand-in answers what its register would: the contract decides the texts.
                body = limits.parse_json(raw, limits.STAND_IN_BODY_MAX_BYTES, storable=False)
            except limits.JsonTooDeep:
                return error(
                    400, "INVALID_REQUEST", f"the JSON nests deeper than {limits.JSON_MAX_DEPTH}"
                )
            except ValueError as exc:  # not JSON, bad UTF-8, NaN, trailing data
                return error(400, "INVALID_REQUEST", f"the body is not valid JSON: {exc}"[:500])
            if not _unicode_text(body):
                return error(400, "INVALID_REQUEST", "the body holds a lone surrogate escape")
        problems = contract.request_errors(op, path_params, query, headers, body, has_body)
        if problems:
            return error(400, "INVALID_REQUEST", "; ".join(problems)[:500])
        try:
            return stand_in.service.handle(op, Request(path_params, query, headers, body))
        except Exception:  # a stand-in bug must still answer per the contract
            return error(500, "INTERNAL", "internal error")

    def _admin(self, stand_in: StandInServer, path: str, raw: bytes) -> Reply:
        if path == ADMIN_PREFIX + "faults":
            if self.command == "GET":
                return Reply(200, stand_in.faults.get().to_json())
            if self.command == "DELETE":
                stand_in.faults.set(parse_faults({}))
                return Reply(200, stand_in.faults.get().to_json())
            if self.command == "POST":
                try:
                    settings = limits.parse_json(raw or b"{}", limits.STAND_IN_BODY_MAX_BYTES)
                    stand_in.faults.set(parse_faults(settings))
                except (ValueError, TypeError) as exc:
                    return error(400, "INVALID_REQUEST", str(exc))
                return Reply(200, stand_in.faults.get().to_json())
            return error(405, "INVALID_REQUEST", "use GET, POST or DELETE")
        if path == ADMIN_PREFIX + "state" and self.command == "GET":
            return Reply(200, stand_in.service.summary())
        return error(404, "INVALID_REQUEST", "unknown sandbox admin path")

    def _send(self, reply: Reply, close: bool = False) -> None:
        body = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
        self._send_raw(reply.status, body, reply.headers, close)

    def _send_raw(
        self, status: int, body: bytes, headers: dict[str, str], close: bool = False
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            self.close_connection = True


def _unicode_text(body: Any) -> bool:
    """Whether every text in ``body`` is Unicode: a JSON escape may name a lone surrogate
    (``"\\ud800"``), which no register stores and the contract validator cannot read."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

