from __future__ import annotations

import json
import socket
import time
import tracemalloc

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from issuance.delivery.clients import (
    CivilRegistryClient,
    FerClient,
    NotificationClient,
    ServiceConfig,
    VoucherClient,
)
from issuance.delivery.clients.errors import (
    MalformedResponse,
    ServiceFailed,
    ServiceRejectedRequest,
    ServiceTimeout,
    ServiceUnavailable,
)
from issuance.errors import IssuanceError
from issuance.ports import limits

from .conftest import API_KEY, config

pytestmark = pytest.mark.usefixtures("clean_faults")


def fer_with(sandbox, *headers, **overrides) -> FerClient:
    return FerClient(config(sandbox, "fer", extra_headers=tuple(headers), **overrides))


def set_faults(sandbox, name: str, **faults) -> None:
    reply = httpx.post(f"{sandbox.url(name)}/_sandbox/faults", json=faults, timeout=5)
    assert reply.status_code == 200, reply.text


def test_latency_below_timeout_is_only_slow(sandbox):
    with fer_with(sandbox, ("X-Sandbox-Latency-Ms", "200")) as fer:
        started = time.monotonic()
        assert fer.by_permit("RP20240001").surname == "Çela"
        assert time.monotonic() - started >= 0.2


def test_latency_above_timeout_is_a_timeout(sandbox):
    with fer_with(sandbox, ("X-Sandbox-Latency-Ms", "1500"), read_timeout=0.3) as fer:
        with pytest.raises(ServiceTimeout) as err:
            fer.by_permit("RP20240001")
    assert err.value.retryable and "në kohë" in err.value.message("sq")


def test_hang_is_a_timeout(sandbox):
    with fer_with(sandbox, ("X-Sandbox-Fail", "timeout"), read_timeout=0.3) as fer:
        with pytest.raises(ServiceTimeout):
            fer.by_permit("RP20240001")


def test_server_error_is_a_retryable_service_failure(sandbox):
    with fer_with(sandbox, ("X-Sandbox-Fail", "500")) as fer:
        with pytest.raises(ServiceFailed) as err:
            fer.by_permit("RP20240001")
    assert err.value.status == 500 and err.value.retryable


@pytest.mark.parametrize("kind", ["malformed", "schema"])
def test_bad_bodies_are_malformed_responses(sandbox, kind):
    with fer_with(sandbox, ("X-Sandbox-Fail", kind)) as fer:
        with pytest.raises(MalformedResponse) as err:
            fer.by_permit("RP20240001")
    assert not err.value.retryable and "administrator" in err.value.message("en")


@pytest.mark.parametrize("kind", ["close", "503"])
def test_outage_switch_makes_the_service_unavailable(sandbox, fer, kind):
    set_faults(sandbox, "fer", outage=kind)
    with pytest.raises(ServiceUnavailable) as err:
        fer.by_permit("RP20240001")
    assert err.value.retryable and not isinstance(err.value, ServiceTimeout)
    httpx.delete(f"{sandbox.url('fer')}/_sandbox/faults", timeout=5)
    assert fer.by_permit("RP20240001").surname == "Çela"


def test_suspended_service_refuses_connections(sandbox, vouchers):
    sandbox.suspend("voucher")
    try:
        with pytest.raises(httpx.ConnectError):
            httpx.get(sandbox.url("voucher") + "/fees", timeout=2)
        with pytest.raises(ServiceUnavailable):
            vouchers.fees()
    finally:
        sandbox.resume("voucher")
    assert vouchers.fees()["STANDARD"] == 6000


def test_error_rate_applies_to_a_share_of_requests(sandbox, fer):
    set_faults(sandbox, "fer", error_rate=0.5)
    failures = 0
    for _ in range(60):
        try:
            fer.by_permit("RP20240001")
        except ServiceFailed:
            failures += 1
    assert 10 < failures < 50
    assert httpx.get(f"{sandbox.url('fer')}/_sandbox/faults").json()["error_rate"] == 0.5


def test_admin_rejects_unknown_settings(sandbox):
    reply = httpx.post(f"{sandbox.url('voucher')}/_sandbox/faults", json={"chaos": 1})
    assert reply.status_code == 400


def test_wrong_api_key_is_refused(sandbox):
    with VoucherClient(config(sandbox, "voucher", api_key="wrong")) as client:
        with pytest.raises(ServiceRejectedRequest) as err:
            client.fees()
    assert err.value.status == 401 and err.value.code == "UNAUTHORIZED"


def test_requests_are_validated_against_the_contract(sandbox):
    headers = {"X-API-Key": "test-key-123"}
    url = sandbox.url("voucher") + "/coupons/PSH10000009/reserve"
    bad = httpx.post(url, json={"applicationId": "APP-1", "cardType": "GOLD"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_REQUEST"
    assert "cardType" in bad.json()["message"]
    assert httpx.get(url, headers=headers).status_code == 405
    assert httpx.get(sandbox.url("voucher") + "/nowhere", headers=headers).status_code == 404


def test_nfd_switch_decomposes_the_answers_texts(sandbox, registry):
    from datetime import date

    from issuance.delivery.clients import BiographicData, PersonData

    nid = "J00412777W"
    person = PersonData(BiographicData("Ëndrit", "Çela", date(1990, 4, 12), "M", "RKS"))
    registry.create_person(nid, person)
    assert registry.get_person(nid).biographic.last_name == "\u00c7ela"
    set_faults(sandbox, "civil-registry", nfd_names=True)
    back = registry.get_person(nid).biographic
    assert (back.last_name, back.first_name) == ("C\u0327ela", "E\u0308ndrit")
    # Stored as sent: only the answers are decomposed.
    stored = sandbox.civil_registry.person(nid)["identities"][0]["biographicData"]
    assert stored["lastName"] == "\u00c7ela"
    bad = httpx.post(f"{sandbox.url('fer')}/_sandbox/faults", json={"nfd_names": "yes"})
    assert bad.status_code == 400


# -- malformed answers, from the register clients' point of view (issuance.ports.limits) ----------
# Property-based: whatever a register (or a proxy in front of it) answers, the clients raise
# one of their refusals, never a KeyError, a RecursionError or a MemoryError.

ANSWERS = settings(
    max_examples=80, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _json_values() -> st.SearchStrategy[object]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12),
                        st.sampled_from(["\x00", "\ud800", "2024-02-30", "", "J00101999W"]))
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4),
                                st.dictionaries(st.text(max_size=12), inner, max_size=5)),
        max_leaves=30,
    )  # fmt: skip


def _mutated(base: dict, key: str, value: object, drop: bool) -> bytes:
    changed = dict(base)
    if drop:
        changed.pop(key, None)
    else:
        changed[key] = value
    return json.dumps(changed).encode()


def _bodies(valid: dict) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=512),
        st.builds(lambda v: json.dumps(v).encode(), _json_values()),
        st.builds(lambda n: b"[" * n + b"]" * n, st.integers(0, 200_000)),
        st.builds(lambda n: b'{"a":' * n + b"1" + b"}" * n, st.integers(0, 50_000)),
        st.builds(_mutated, st.just(valid), st.sampled_from(sorted(valid)), _json_values(),
                  st.booleans()),
    )  # fmt: skip


def _client(cls, respond):
    config = ServiceConfig("http://register.test", api_key="k")
    return cls(config, transport=httpx.MockTransport(respond))


@pytest.fixture(scope="module")
def valid_permit(sandbox) -> dict:
    reply = httpx.get(f"{sandbox.url('fer')}/permits/RP20240001", headers={"X-API-Key": API_KEY})
    assert reply.status_code == 200
    return reply.json()


CALLS = {
    "fer": (FerClient, lambda c: c.by_permit("RP20240001", require_eligible=False)),
    "voucher": (VoucherClient, lambda c: c.lookup("PSH10000009")),
    "civil-registry": (CivilRegistryClient, lambda c: c.get_person("J00101999W")),
    "notification": (NotificationClient, lambda c: c.send_sms("+355691234567", "Gati", "key-0001")),
}


@pytest.mark.parametrize("register", sorted(CALLS))
def test_any_answer_ends_in_a_result_or_a_refusal(valid_permit, register):
    cls, call = CALLS[register]

    @ANSWERS
    @given(status=st.sampled_from([200, 201, 202, 400, 401, 404, 409, 413, 422, 429, 500, 503]),
           body=_bodies(valid_permit))
    def check(status: int, body: bytes) -> None:
        respond = lambda request: httpx.Response(  # noqa: E731
            status, content=body, headers={"Content-Type": "application/json"}
        )
        with _client(cls, respond) as client:
            try:
                call(client)
            except IssuanceError as refused:
                assert refused.message("sq") and refused.message("en")

    check()


class _Endless(httpx.SyncByteStream):
    def __init__(self) -> None:
        self.sent = 0

    def __iter__(self):
        chunk = b" " * 65536
        while True:
            self.sent += len(chunk)
            yield chunk


def test_an_endless_answer_is_cut_at_the_limit():
    stream = _Endless()
    respond = lambda request: httpx.Response(200, stream=stream)  # noqa: E731
    tracemalloc.start()
    try:
        with _client(FerClient, respond) as fer, pytest.raises(MalformedResponse) as refused:
            fer.by_permit("RP20240001")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "over" in refused.value.detail
    assert stream.sent <= limits.REGISTER_ANSWER_MAX_BYTES + 65536
    assert peak < 3 * limits.REGISTER_ANSWER_MAX_BYTES, peak


def test_a_declared_huge_answer_is_refused_before_reading():
    stream = _Endless()
    respond = lambda request: httpx.Response(  # noqa: E731
        200, stream=stream, headers={"Content-Length": "99999999999"}
    )
    with _client(FerClient, respond) as fer, pytest.raises(MalformedResponse):
        fer.by_permit("RP20240001")
    assert stream.sent == 0


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"surname": "\\u0000"}'])
def test_deep_or_unstorable_answers_are_malformed(body):
    respond = lambda request: httpx.Response(200, content=body)  # noqa: E731
    with _client(FerClient, respond) as fer, pytest.raises(MalformedResponse):
        fer.by_permit("RP20240001")


# -- request bodies the stand-ins get -----------------------------------------------------------


def _raw_request(sandbox, name: str, head: str, body: bytes = b"", timeout: float = 5) -> bytes:
    """What the stand-in answers to bytes written on a fresh connection (the headers'
    Content-Length as given, whatever the body)."""
    url = httpx.URL(sandbox.url(name))
    with socket.create_connection((url.host, url.port), timeout=timeout) as conn:
        conn.sendall(head.encode() + b"\r\n\r\n" + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            part = conn.recv(65536)
            if not part:
                break
            answer += part
    return answer


def _post_head(path: str, length: str) -> str:
    return (
        f"POST {path} HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
        f"X-API-Key: {API_KEY}\r\nContent-Length: {length}"
    )


def test_stand_in_answers_413_to_a_huge_declared_body(sandbox, fer):
    """Defect: `Content-Length: 99999999999` made the server thread die of MemoryError and
    the client got no answer."""
    started = time.monotonic()
    answer = _raw_request(sandbox, "civil-registry", _post_head("/persons", "99999999999"))
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert time.monotonic() - started < 3
    over = str(limits.STAND_IN_BODY_MAX_BYTES + 1)
    assert _raw_request(sandbox, "voucher", _post_head("/coupons/PSH10000009/reserve", over)
                        ).startswith(b"HTTP/1.1 413 ")  # fmt: skip
    for junk in ("-1", "12abc", "1e9"):
        answer = _raw_request(sandbox, "civil-registry", _post_head("/persons", junk))
        assert answer.startswith(b"HTTP/1.1 400 "), (junk, answer[:200])
    assert fer.by_permit("RP20240001").surname == "Çela"  # and it serves on


@pytest.mark.parametrize("depth", [limits.JSON_MAX_DEPTH + 1, 100_000])
def test_stand_in_answers_400_to_json_too_deep(sandbox, fer, depth):
    """Defect: a 100,000-deep body made the server thread die of RecursionError."""
    for body in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
        for name, path in (("civil-registry", "/persons"), ("fer", "/_sandbox/faults")):
            reply = httpx.post(
                sandbox.url(name) + path, content=body, timeout=5,
                headers={"Content-Type": "application/json", "X-API-Key": API_KEY},
            )  # fmt: skip
            assert reply.status_code == 400, reply.text[:200]
            assert "deeper" in reply.json()["message"] or "nests" in reply.json()["message"]
    assert fer.by_permit("RP20240001").surname == "Çela"


STAND_IN_BODIES = settings(
    max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@STAND_IN_BODIES
@given(body=st.one_of(
    st.binary(max_size=2048),
    st.builds(lambda v: json.dumps(v).encode(), _json_values()),
    st.builds(lambda n: b"[" * n, st.integers(1, 300_000)),
))  # fmt: skip
@example(body=b'"\\ud800"')  # a lone surrogate escape: the contract validator cannot read it
def test_stand_in_answers_any_body_in_its_contract(sandbox, body):
    # (Not the fault switches' admin path: a random body might switch an outage on.)
    for name, path in (("civil-registry", "/persons"),
                       ("voucher", "/coupons/PSH10000009/reserve")):  # fmt: skip
        reply = httpx.post(
            sandbox.url(name) + path, content=body, timeout=5,
            headers={"Content-Type": "application/json", "X-API-Key": API_KEY},
        )  # fmt: skip
        assert reply.status_code in (200, 201, 400, 409, 413, 422), (name, reply.status_code)
        assert set(reply.json()) >= ({"code", "message"} if reply.status_code >= 400 else set())
