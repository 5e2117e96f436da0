from __future__ import annotations

import time

import httpx
import pytest

from issuance.integrations import FerClient, VoucherClient
from issuance.integrations.errors import (
    MalformedResponse,
    ServiceFailed,
    ServiceRejectedRequest,
    ServiceTimeout,
    ServiceUnavailable,
)

from .conftest import config

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

    from issuance.integrations import BiographicData, PersonData

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
