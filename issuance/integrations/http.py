"""What every register client shares: configuration, the HTTP session, error mapping and
validation of answers against the service's OpenAPI contract."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from issuance.contracts import Contract, Operation, load_contract
from issuance.integrations.errors import (
    MalformedResponse,
    ServiceFailed,
    ServiceRejectedRequest,
    ServiceTimeout,
    ServiceUnavailable,
)


@dataclass(frozen=True)
class ServiceConfig:
    """How to reach one register. `verify`: True (system CAs), False, or a CA bundle path."""

    base_url: str
    api_key: str | None = None
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    verify: bool | str = True
    # PEM file with certificate and key, for services that want mutual TLS.
    client_cert: str | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()


def _tls(config: ServiceConfig) -> ssl.SSLContext | bool:
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
        context.load_cert_chain(config.client_cert)
    return context


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
            verify=_tls(config),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, operation_id: str, path: str, *, json: Any = None,
             headers: dict[str, str] | None = None) -> Answer:
        """Send one request; return answers the contract documents for the caller to map.

        Transport failures, 5xx, bad JSON, contract breaches and 400/401 are raised here.
        """
        op = self._operations[operation_id]
        try:
            response = self._http.request(op.method, path, json=json, headers=headers)
        except httpx.TimeoutException as exc:
            raise ServiceTimeout(self.service) from exc
        except httpx.TransportError as exc:
            raise ServiceUnavailable(self.service) from exc
        return self._answer(op, response)

    def _answer(self, op: Operation, response: httpx.Response) -> Answer:
        status = response.status_code
        if status == 503:
            raise ServiceUnavailable(self.service)
        if status >= 500:
            raise ServiceFailed(self.service, status)
        try:
            body = response.json()
        except ValueError as exc:
            raise MalformedResponse(self.service, "the body is not JSON") from exc
        problems = self.contract.response_errors(op, status, body)
        if problems:
            raise MalformedResponse(self.service, "; ".join(problems)[:500])
        if status in (400, 401, 403, 405):
            code = body.get("code", "") if isinstance(body, dict) else ""
            raise ServiceRejectedRequest(self.service, status, str(code))
        return Answer(status, body)


def error_code(answer: Answer) -> str:
    """The `code` of an error answer (contracts guarantee it on every 4xx)."""
    return str(answer.body.get("code", "")) if isinstance(answer.body, dict) else ""
