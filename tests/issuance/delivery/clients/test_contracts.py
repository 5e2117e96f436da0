"""Each stand-in against its own OpenAPI document, with schemathesis (bounded examples)."""

from __future__ import annotations

import schemathesis
import yaml
from hypothesis import HealthCheck, settings

from issuance.delivery.contracts import contract_text

from .conftest import API_KEY

SERVICE_URLS = {"voucher": "voucher", "fer": "fer", "civil_registry": "civil-registry",
                "notification": "notification"}
EXAMPLES = 15


def _schema(name: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_dict(yaml.safe_load(contract_text(name)))


voucher_schema = _schema("voucher")
fer_schema = _schema("fer")
civil_registry_schema = _schema("civil_registry")
notification_schema = _schema("notification")

bounded = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


def _check(case, sandbox, contract: str) -> None:
    case.call_and_validate(base_url=sandbox.url(SERVICE_URLS[contract]),
                           headers={"X-API-Key": API_KEY}, timeout=5)


@voucher_schema.parametrize()
@bounded
def test_voucher_contract(case, sandbox):
    _check(case, sandbox, "voucher")


@fer_schema.parametrize()
@bounded
def test_fer_contract(case, sandbox):
    _check(case, sandbox, "fer")


@civil_registry_schema.parametrize()
@bounded
def test_civil_registry_contract(case, sandbox):
    _check(case, sandbox, "civil_registry")


@notification_schema.parametrize()
@bounded
def test_notification_contract(case, sandbox):
    _check(case, sandbox, "notification")
