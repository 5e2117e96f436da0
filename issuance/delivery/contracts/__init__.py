"""The OpenAPI contracts of the remote registers, and validation against them.

One YAML document per service lives beside this module. Both the stand-in servers
(`devtools.standins`) and the HTTP clients (`issuance.delivery.clients`) validate against the same
document, so a drift between the two shows up as a failing request, not as silent data loss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import unquote

import jsonschema
import jsonschema_rs
import yaml

SERVICES: tuple[str, ...] = ("voucher", "fer", "civil_registry", "notification")


def contract_text(name: str) -> str:
    """The YAML source of one service's contract."""
    if name not in SERVICES:
        raise KeyError(f"unknown contract {name!r}; known: {', '.join(SERVICES)}")
    return resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")


@cache
def load_contract(name: str) -> Contract:
    """The parsed contract of one service (parsed once per process; contracts never change)."""
    return Contract(name, yaml.safe_load(contract_text(name)))


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    pieces = [re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts)]
    return re.compile("^" + "".join(pieces) + "$")


@dataclass(frozen=True)
class Operation:
    """One method on one path template of a contract, with its `$ref`s resolved."""

    method: str
    template: str
    operation_id: str
    spec: dict[str, Any]
    parameters: tuple[dict[str, Any], ...]
    regex: re.Pattern[str] = field(repr=False)


class Contract:
    """An OpenAPI 3.0 document with routing and JSON-schema validation of both directions."""

    def __init__(self, name: str, document: dict[str, Any]) -> None:
        self.name = name
        self.document = document
        self.operations = tuple(self._operations())
        self._validators: dict[tuple[str, str], jsonschema.protocols.Validator | None] = {}
        self._fast_validators: dict[tuple[str, str], Any] = {}

    def resolve(self, obj: Any) -> Any:
        """Follow a local `$ref` (`#/components/...`) until a plain object is reached."""
        while isinstance(obj, dict) and "$ref" in obj:
            node: Any = self.document
            for part in obj["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            obj = node
        return obj

    def _operations(self) -> list[Operation]:
        found = []
        for template, item in self.document.get("paths", {}).items():
            regex = _template_regex(template)
            shared = item.get("parameters", [])
            for method in ("get", "put", "post", "delete", "patch"):
                if method not in item:
                    continue
                spec = item[method]
                params = tuple(self.resolve(p) for p in [*shared, *spec.get("parameters", [])])
                found.append(
                    Operation(
                        method.upper(), template, spec.get("operationId", ""), spec, params, regex
                    )
                )
        return found

    def match(self, method: str, path: str) -> tuple[Operation | None, dict[str, str], bool]:
        """(operation, path parameters, path_known) for a request line.

        `path_known` is true when some operation has this path, so the caller can tell
        405 (known path, other method) from 404 (unknown path).
        """
        known = False
        for op in self.operations:
            m = op.regex.match(path)
            if not m:
                continue
            known = True
            if op.method == method.upper():
                return op, {k: unquote(v) for k, v in m.groupdict().items()}, True
        return None, {}, known

    def errors(self, schema: dict[str, Any], instance: Any, key: str | None = None) -> list[str]:
        """Messages for every way `instance` breaks `schema` (empty when valid)."""
        validator = self._validator(schema, key)
        if validator is None:
            return []
        # The compiled (Rust) validator answers the common case, a valid body, ~10x faster;
        # the reference implementation then words the problems when there are any.
        if self._fast_validator(schema, key).is_valid(instance):
            return []
        return [
            f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
            for e in validator.iter_errors(instance)
        ]

    def _validator(
        self, schema: dict[str, Any], key: str | None
    ) -> jsonschema.protocols.Validator | None:
        cache_key = (key or "", str(id(schema)))
        if cache_key in self._validators:
            return self._validators[cache_key]
        # The wrapper carries the components so `#/components/...` refs resolve against it.
        wrapper = {"components": self.document.get("components", {}), "allOf": [schema]}
        validator = jsonschema.Draft7Validator(
            wrapper, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
        )
        self._validators[cache_key] = validator
        return validator

    def _fast_validator(self, schema: dict[str, Any], key: str | None) -> Any:
        cache_key = (key or "", str(id(schema)))
        fast = self._fast_validators.get(cache_key)
        if fast is None:
            wrapper = {"components": self.document.get("components", {}), "allOf": [schema]}
            fast = jsonschema_rs.Draft7Validator(wrapper, validate_formats=True)
            self._fast_validators[cache_key] = fast
        return fast

    def body_schema(self, op: Operation) -> dict[str, Any] | None:
        body = self.resolve(op.spec.get("requestBody"))
        if not body:
            return None
        return body.get("content", {}).get("application/json", {}).get("schema")

    def body_required(self, op: Operation) -> bool:
        body = self.resolve(op.spec.get("requestBody"))
        return bool(body and body.get("required"))

    def response_schema(self, op: Operation, status: int) -> dict[str, Any] | None:
        response = self.resolve(op.spec.get("responses", {}).get(str(status)))
        if response is None:
            return None
        return response.get("content", {}).get("application/json", {}).get("schema")

    def documents_status(self, op: Operation, status: int) -> bool:
        return str(status) in op.spec.get("responses", {})

    def response_errors(self, op: Operation, status: int, body: Any) -> list[str]:
        """Why a response body breaks the contract of `op` for `status` (empty when it fits)."""
        if not self.documents_status(op, status):
            return [f"status {status} is not documented for {op.operation_id}"]
        schema = self.response_schema(op, status)
        if schema is None:
            return []
        return self.errors(schema, body, key=f"resp:{op.operation_id}:{status}")

    def request_errors(
        self,
        op: Operation,
        path_params: dict[str, str],
        query: dict[str, str],
        headers: dict[str, str],
        body: Any,
        has_body: bool,
    ) -> list[str]:
        """Why a request breaks the contract of `op` (empty when it fits).

        `headers` must have lower-case names.
        """
        problems: list[str] = []
        sources = {"path": path_params, "query": query}
        for param in op.parameters:
            where, name = param["in"], param["name"]
            values = headers if where == "header" else sources.get(where, {})
            lookup = name.lower() if where == "header" else name
            if lookup not in values:
                if param.get("required"):
                    problems.append(f"{where} parameter {name} is required")
                continue
            problems += [
                f"{where} parameter {name}: {msg}"
                for msg in self.errors(
                    param.get("schema", {}),
                    values[lookup],
                    key=f"param:{op.operation_id}:{where}:{name}",
                )
            ]
        schema = self.body_schema(op)
        if schema is None:
            return problems
        if not has_body:
            if self.body_required(op):
                problems.append("a JSON body is required")
            return problems
        problems += self.errors(schema, body, key=f"body:{op.operation_id}")
        return problems
