"""What every register client shares: configuration, the HTTP session, error mapping and
validation of answers against the service's OpenAPI contract."""

from __future__ import annotations

import http.client as http_client
import select
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from json import dumps as json_dumps
from typing import Any, TypeVar
from urllib.parse import SplitResult, quote, urlsplit

import httpx

from issuance.delivery.clients.errors import (
    MalformedResponse,
    ServiceBusy,
    ServiceFailed,
    ServiceRejectedRequest,
    ServiceTimeout,
    ServiceTlsFailed,
    ServiceUnavailable,
    TlsFilesUnusable,
)
from issuance.delivery.contracts import Contract, Operation, load_contract
from issuance.ports import limits

# Client errors that say "later", not "never".
TRANSIENT_CLIENT_ERRORS = frozenset({408, 425, 429})
# Refusals every contract documents with an Error body; never the caller's to map.
REFUSALS = frozenset({400, 401, 403, 405})
# What the clients read out of an answer the contract accepted; anything else it raises while
# doing so means the answer did not hold what the contract promised.
_READ_FAILURES = (KeyError, IndexError, TypeError, ValueError, AttributeError)

T = TypeVar("T")


@dataclass(frozen=True)
class ServiceConfig:
    """How to reach one register. `verify`: True (system CAs), False, or a CA bundle path."""

    base_url: str
    api_key: str | None = None
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    verify: bool | str = True
    # PEM certificate for services that want mutual TLS; its key is in `client_key`, or in
    # the same file when that is None.
    client_cert: str | None = None
    client_key: str | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()


def _tls(config: ServiceConfig, service: tuple[str, str]) -> ssl.SSLContext | bool:
    try:
        if config.verify is False:
            if config.client_cert is None:
                return False
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        elif isinstance(config.verify, str):
            context = ssl.create_default_context(cafile=config.verify)
        else:
            context = ssl.create_default_context()
        if config.client_cert:
            context.load_cert_chain(config.client_cert, config.client_key)
    except (OSError, ssl.SSLError) as exc:
        # Told at start-up, naming the file, rather than as a failure of every request.
        raise TlsFilesUnusable(service, str(exc)) from exc
    return context


def _tls_cause(exc: BaseException) -> ssl.SSLError | None:
    """The TLS failure behind a transport error (httpx wraps httpcore, which wraps ssl)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def segment(value: str) -> str:
    """A value made safe to put in one path segment (e.g. nationality `D<<`)."""
    return quote(value, safe="")


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


# As the standard library bounds an answer's header: lines and their length.
_MAX_HEADERS, _MAX_LINE = 100, 65536


def _header_lines(fp: Any) -> list[tuple[str, str]]:
    """An answer's header fields as (name, value), up to the blank line that ends them, read
    as ``http.client.parse_headers`` reads them (its bounds, Latin-1, a folded line joined to
    the field before it) without the e-mail parser behind it, which cost a quarter of a
    register request's time."""
    fields: list[tuple[str, str]] = []
    while True:
        line = fp.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise http_client.LineTooLong("header line")
        if line in (b"\r\n", b"\n", b""):
            return fields
        if len(fields) >= _MAX_HEADERS:
            raise http_client.HTTPException(f"got more than {_MAX_HEADERS} headers")
        text = line.decode("iso-8859-1")
        if text[0] in " \t" and fields:  # an obsolete folded line: the value goes on
            name, value = fields[-1]
            fields[-1] = (name, f"{value} {text.strip()}")
            continue
        name, _, value = text.partition(":")
        fields.append((name, value.strip(" \t\r\n")))


class _Response(http_client.HTTPResponse):
    """``http.client``'s answer with its header read by ``_header_lines``; everything else
    (status line, 1xx answers skipped, chunked or sized body, keep-alive) is the standard
    library's own, as ``HTTPResponse.begin`` decides it."""

    def begin(self) -> None:
        if self.headers is not None:
            return
        while True:
            version, status, reason = self._read_status()
            if status != http_client.CONTINUE:
                break
            _header_lines(self.fp)  # an interim answer's header: skipped
        self.code = self.status = status
        self.reason = reason.strip()
        if version in ("HTTP/1.0", "HTTP/0.9"):
            self.version = 10
        elif version.startswith("HTTP/1."):
            self.version = 11
        else:
            raise http_client.UnknownProtocol(version)
        headers = http_client.HTTPMessage()
        for name, value in _header_lines(self.fp):
            headers.set_raw(name, value)
        self.headers = self.msg = headers
        encoding = headers.get("transfer-encoding")
        self.chunked = bool(encoding) and encoding.lower() == "chunked"
        self.chunk_left = None
        self.will_close = self._check_close()
        self.length = None
        length = headers.get("content-length")
        if length and not self.chunked:
            try:
                self.length = int(length)
            except ValueError:
                self.length = None
            else:
                if self.length < 0:
                    self.length = None
        no_body = status in (http_client.NO_CONTENT, http_client.NOT_MODIFIED)
        if no_body or 100 <= status < 200 or self._method == "HEAD":
            self.length = 0
        if not self.will_close and not self.chunked and self.length is None:
            self.will_close = True  # no length, not chunked: the body ends with the connection


class _OneWrite(http_client.HTTPConnection):
    """Headers and a body given whole go out in one write, not two: a system call less per
    request, and no wait for the headers' acknowledgement before the body. Answers are read
    by ``_Response``."""

    response_class = _Response

    def _send_output(self, message_body: Any = None, encode_chunked: bool = False) -> None:
        if not isinstance(message_body, bytes) or encode_chunked:
            super()._send_output(message_body, encode_chunked)  # type: ignore[misc]
            return
        self._buffer.extend((b"", b""))  # type: ignore[attr-defined]
        head = b"\r\n".join(self._buffer)  # type: ignore[attr-defined]
        del self._buffer[:]  # type: ignore[attr-defined]
        self.send(head + message_body)


class _OneWriteTls(_OneWrite, http_client.HTTPSConnection):
    pass


# A connection idle for longer than this is checked before it is used again: the register
# may have closed it meanwhile (a keep-alive timeout, a restart).
_IDLE_CHECK_S = 1.0


class KeepAlive:
    """One keep-alive HTTP/1.1 connection to a register (the standard library's
    ``http.client``), opened on first use and again after the register closed it.

    The register clients' own transport: a request is one ``send`` of headers and body and one
    answer read, with none of the per-request model building of a general HTTP client, which
    cost the outbox three times what the round trip itself costs. Connect and read timeouts
    apply as configured (the TLS handshake within the connect timeout). Used by one caller at
    a time; ``ServiceClient`` lends one to each concurrent caller.
    """

    def __init__(self, base_url: str, timeout: httpx.Timeout, tls: ssl.SSLContext | bool) -> None:
        self.base_url = base_url  # may carry a path prefix; a test points it elsewhere
        self.timeout = timeout
        self._tls = tls
        self._connection: http_client.HTTPConnection | None = None
        self._used = 0.0  # time.monotonic() of the last answer read
        self._parsed: tuple[str, SplitResult] | None = None

    def _target(self) -> SplitResult:
        if self._parsed is None or self._parsed[0] != self.base_url:
            self._parsed = (self.base_url, urlsplit(self.base_url))
        return self._parsed[1]

    def _open(self, url: SplitResult) -> http_client.HTTPConnection:
        host, connect = url.hostname or "", self.timeout.connect
        connection: http_client.HTTPConnection
        if url.scheme == "https":
            tls = self._tls
            if not isinstance(tls, ssl.SSLContext):
                tls = ssl.create_default_context()
                if self._tls is False:
                    tls.check_hostname, tls.verify_mode = False, ssl.CERT_NONE
            connection = _OneWriteTls(host, url.port, timeout=connect, context=tls)
        else:
            connection = _OneWrite(host, url.port, timeout=connect)
        connection.connect()
        assert connection.sock is not None
        connection.sock.settimeout(self.timeout.read)
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def _usable(self) -> http_client.HTTPConnection | None:
        """The open connection, unless the register closed it while it was idle (readable
        then: an end of file, or an answer nobody asked for)."""
        connection = self._connection
        if connection is None or connection.sock is None:
            return None
        if time.monotonic() - self._used < _IDLE_CHECK_S:
            return connection
        poller = select.poll()
        poller.register(connection.sock, select.POLLIN)
        if poller.poll(0):
            self.close()
            return None
        return connection

    def request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str], limit: int
    ) -> tuple[int, bytes]:
        """(status, body) of one exchange; the body no longer than ``limit`` (``BodyTooLarge``
        otherwise, refused before reading when its declared length says so). Any failure
        closes the connection: the next request opens a new one."""
        url = self._target()
        try:
            connection = self._usable() or self._open(url)
            self._connection = connection
            connection.request(method, url.path.rstrip("/") + path, body=body, headers=headers)
            response = connection.getresponse()
            declared = response.getheader("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise limits.BodyTooLarge(int(declared), limit)
            parts, size = [], 0
            while not response.isclosed():
                part = response.read(limit + 1 - size)
                if not part:
                    break
                parts.append(part)
                size += len(part)
                if size > limit:
                    raise limits.BodyTooLarge(size, limit)
            if response.will_close or not response.isclosed():
                self.close()
            self._used = time.monotonic()
            return response.status, b"".join(parts)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


class ServiceClient:
    """Base of the register clients.

    Each request borrows a connection of its own (``KeepAlive``) from a stack of idle ones
    and puts it back once the answer is read, so callers on many threads (the outbox's)
    neither queue on one connection pool's lock nor open a connection per request. A caller
    alone always gets the same one, ``_http``. At most ``max_idle`` idle connections are kept;
    how many are open at once is bounded by the callers' own concurrency. A client given an
    httpx ``transport`` (tests that script a register's answers) sends every request through
    it instead.
    """

    service: tuple[str, str] = ("shërbimi i largët", "remote")
    contract_name = ""
    max_idle = 32

    def __init__(self, config: ServiceConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self.contract: Contract = load_contract(self.contract_name)
        self._operations = {op.operation_id: op for op in self.contract.operations}
        headers = {"Accept": "application/json", **dict(config.extra_headers)}
        if config.api_key:
            headers["X-API-Key"] = config.api_key
        self._headers = headers
        # Built once (loading CAs and a client certificate is slow), shared by every
        # connection: an SSLContext may wrap sockets on many threads.
        tls = _tls(config, self.service)
        timeout = httpx.Timeout(config.read_timeout, connect=config.connect_timeout)
        base_url = config.base_url.rstrip("/")
        self._scripted: httpx.Client | None = None
        if transport is not None:
            self._scripted = httpx.Client(
                base_url=base_url, headers=headers, timeout=timeout, verify=tls,
                transport=transport,
            )  # fmt: skip
        self._open_http = lambda: KeepAlive(base_url, timeout, tls)
        self._http = self._open_http()
        # deque.pop/append are atomic: no lock is taken to borrow or return a connection.
        self._idle: deque[KeepAlive] = deque([self._http])
        self._opened: list[KeepAlive] = [self._http]
        self._opened_lock = threading.Lock()  # only to open or close one
        self._closed = False

    def close(self) -> None:
        self._closed = True
        with self._opened_lock:
            opened, self._opened = self._opened, []
        self._idle.clear()
        for conn in opened:
            conn.close()
        if self._scripted is not None:
            self._scripted.close()

    def _borrow(self) -> KeepAlive:
        try:
            return self._idle.pop()
        except IndexError:
            pass
        conn = self._open_http()
        with self._opened_lock:
            self._opened.append(conn)
        return conn

    def _give_back(self, conn: KeepAlive) -> None:
        if not self._closed and (len(self._idle) < self.max_idle or conn is self._http):
            self._idle.append(conn)
            return
        with self._opened_lock:
            if conn in self._opened:
                self._opened.remove(conn)
        conn.close()

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(
        self,
        operation_id: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Send one request; return answers the contract documents for the caller to map.

        Transport failures, TLS failures, 5xx, 408/425/429, bad JSON, contract breaches and
        refusals (400/401/403/405, undocumented 4xx) are raised here.
        """
        op = self._operations[operation_id]
        if self._scripted is not None:
            status, raw = self._call_scripted(op, path, json, headers)
            return self._answer(op, status, raw)
        body = None
        sent = dict(self._headers)
        if headers:
            sent.update(headers)
        if json is not None:
            # As httpx encodes it: compact, UTF-8, no NaN.
            body = json_dumps(
                json, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            ).encode("utf-8")
            sent["Content-Type"] = "application/json"
        conn = self._borrow()
        limit = limits.REGISTER_ANSWER_MAX_BYTES
        try:
            status, raw = conn.request(op.method, path, body, sent, limit)
        except limits.BodyTooLarge as exc:
            detail = f"answer of {exc.actual} bytes or more, over {limit}"
            raise MalformedResponse(self.service, detail) from exc
        except TimeoutError as exc:
            raise ServiceTimeout(self.service) from exc
        except ssl.SSLError as exc:
            raise ServiceTlsFailed(self.service, str(exc)) from exc
        except (OSError, http_client.HTTPException) as exc:
            tls = _tls_cause(exc)
            if tls is not None:
                raise ServiceTlsFailed(self.service, str(tls)) from exc
            raise ServiceUnavailable(self.service) from exc
        finally:
            self._give_back(conn)
        return self._answer(op, status, raw)

    def _call_scripted(
        self, op: Operation, path: str, json: Any, headers: dict[str, str] | None
    ) -> tuple[int, bytes]:
        assert self._scripted is not None
        request = self._scripted.build_request(op.method, path, json=json, headers=headers)
        try:
            response = self._scripted.send(request, stream=True)
            try:
                raw = self._bounded_body(response)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise ServiceTimeout(self.service) from exc
        except httpx.TransportError as exc:
            tls = _tls_cause(exc)
            if tls is not None:
                raise ServiceTlsFailed(self.service, str(tls)) from exc
            raise ServiceUnavailable(self.service) from exc
        return response.status_code, raw

    def _bounded_body(self, response: httpx.Response) -> bytes:
        """The answer's body, read no further than ``limits.REGISTER_ANSWER_MAX_BYTES``: a
        declared length over it is refused before reading, an undeclared one once it passes."""
        limit = limits.REGISTER_ANSWER_MAX_BYTES
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise MalformedResponse(self.service, f"answer of {declared} bytes, over {limit}")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise MalformedResponse(self.service, f"answer over {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def parsed(self, read: Callable[[], T]) -> T:
        """``read()`` (a client building its record from an answer's body), with any failure
        to find what the contract promised there turned into ``MalformedResponse``."""
        try:
            return read()
        except _READ_FAILURES as exc:
            detail = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
            raise MalformedResponse(self.service, detail) from exc

    def _answer(self, op: Operation, status: int, raw: bytes) -> Answer:
        if status == 503:
            raise ServiceUnavailable(self.service)
        if status >= 500:
            raise ServiceFailed(self.service, status)
        if status in TRANSIENT_CLIENT_ERRORS:
            raise ServiceBusy(self.service, status)
        refused = self._refusal(op, status)
        try:
            # Bounded in size (read above) and depth, no NUL or lone surrogate in any text.
            body = limits.parse_json(raw, limits.REGISTER_ANSWER_MAX_BYTES)
        except ValueError as exc:
            body = None
            if not refused:
                detail = f"the body is not usable JSON: {exc}"
                raise MalformedResponse(self.service, detail) from exc
        if refused:
            # Whatever the body looks like (a gateway in front may answer 401 in HTML), the
            # request will be refused again: the outbox must alert, not retry.
            code = body.get("code", "") if isinstance(body, dict) else ""
            raise ServiceRejectedRequest(self.service, status, str(code))
        problems = self.contract.response_errors(op, status, body)
        if problems:
            raise MalformedResponse(self.service, "; ".join(problems)[:500])
        return Answer(status, body)

    def _refusal(self, op: Operation, status: int) -> bool:
        if status in REFUSALS:
            return True
        # A 4xx the contract does not document for this operation (404 on a wrong base URL,
        # 413, 422, ...) is a refusal too; 409 is left to the contract check and the caller.
        return (
            400 <= status < 500 and status != 409 and not self.contract.documents_status(op, status)
        )


def error_code(answer: Answer) -> str:
    """The `code` of an error answer (contracts guarantee it on every 4xx)."""
    return str(answer.body.get("code", "")) if isinstance(answer.body, dict) else ""
