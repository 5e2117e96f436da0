"""Is each remote register reachable, and how fast? For the desk's status bar and admin tests."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

import httpx

from issuance.registers import Registers

SLOW_S = 2.0


class Level(StrEnum):
    OK = "ok"
    SLOW = "slow"
    DOWN = "down"


@dataclass(frozen=True)
class Health:
    name: str
    level: Level
    reason_sq: str
    reason_en: str

    def reason(self, language: str) -> str:
        return self.reason_sq if language == "sq" else self.reason_en


def register_urls(registers: Registers) -> dict[str, str]:
    return {
        "voucher": registers.vouchers.config.base_url,
        "fer": registers.fer.config.base_url,
        "civil-registry": registers.civil_registry.config.base_url,
        "notification": registers.notifications.config.base_url,
    }


def probe(name: str, url: str, timeout: float = 3.0) -> Health:
    """Any HTTP answer means the service is there; its errors are the clients' business."""
    started = time.perf_counter()
    try:
        httpx.get(url.rstrip("/") + "/", timeout=timeout)
    except httpx.TimeoutException:
        return Health(name, Level.DOWN, f"nuk përgjigjet brenda {timeout:.0f} s",
                      f"no answer within {timeout:.0f} s")  # fmt: skip
    except httpx.HTTPError as exc:
        return Health(name, Level.DOWN, f"i paarritshëm ({type(exc).__name__})",
                      f"unreachable ({type(exc).__name__})")  # fmt: skip
    elapsed = time.perf_counter() - started
    if elapsed > SLOW_S:
        return Health(name, Level.SLOW, f"i ngadaltë ({elapsed:.1f} s)", f"slow ({elapsed:.1f} s)")
    return Health(name, Level.OK, f"në rregull ({elapsed * 1000:.0f} ms)",
                  f"reachable ({elapsed * 1000:.0f} ms)")  # fmt: skip


def check_registers(registers: Registers) -> list[Health]:
    return [probe(name, url) for name, url in register_urls(registers).items()]
