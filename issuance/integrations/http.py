"""What every register client shares: configuration, the HTTP session, error mapping and
validation of answers against the service's OpenAPI contract."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from issuance import limits
from issuance.contracts import Contract, Operation, load_contract
from issuance.integrations.errors import (
    MalformedResponse,
    ServiceBusy,
    ServiceFailed,
    ServiceRejectedRequest,
    ServiceTimeout,
    ServiceTlsFailed,
    ServiceUnavailable,
    TlsFilesUnusable,
)

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


class ServiceClient:
    """Base of the register clients; one pooled HTTP connection set per client."""

    service: tuple[str, str] = ("shërbimi i largët", "remote")
    contract_name = ""

    def __init__(self, config: ServiceConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self.contract: Contract = load_contract(self.contract_name)
        self._operations = {op.operation_id: op for op in self.contract.operations}
        headers = {"Accept": "application/json", **dict(config.extra_headers)}
        if config.api_key:
            headers["X-API-Key"] = config.api_key
        self._http = httpx.Client(
            base_url=config.base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
            verify=_tls(config, self.service),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

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
        request = self._http.build_request(op.method, path, json=json, headers=headers)
        try:
            response = self._http.send(request, stream=True)
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
        return self._answer(op, response, raw)

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

    def _answer(self, op: Operation, response: httpx.Response, raw: bytes) -> Answer:
        status = response.status_code
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
