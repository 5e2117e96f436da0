"""Local stand-ins of the remote registers (vouchers, FER, civil registry, notifications).

Real HTTP servers on loopback, each validating requests against its OpenAPI contract in
`issuance.delivery.contracts`, seeded with demo data, with switches for latency, errors and outages.
"""

from __future__ import annotations

from devtools.standins.sandbox import SERVICE_NAMES, Sandbox, SandboxConfig, run_sandbox

__all__ = ["SERVICE_NAMES", "Sandbox", "SandboxConfig", "run_sandbox"]
