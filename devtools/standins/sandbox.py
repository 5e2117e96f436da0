"""All four stand-ins together: start, stop, outages with refused connections, run until SIGTERM."""

from __future__ import annotations

import datetime as dt
import signal
import sys
import threading
from dataclasses import dataclass
from typing import TextIO

from devtools.standins.civil_registry import CivilRegistryService
from devtools.standins.fer import FerService
from devtools.standins.notifications import NotificationService
from devtools.standins.seed import demo_coupons, demo_permits
from devtools.standins.server import StandInServer
from devtools.standins.vouchers import VoucherService

# Service names as printed on start-up and used by `Sandbox.url`.
SERVICE_NAMES: tuple[str, ...] = ("voucher", "fer", "civil-registry", "notification")


@dataclass(frozen=True)
class SandboxConfig:
    """Where the stand-ins listen and what they hold. Port 0 means any free port."""

    host: str = "127.0.0.1"
    voucher_port: int = 0
    fer_port: int = 0
    civil_registry_port: int = 0
    notification_port: int = 0
    # When set, every request must carry it in X-API-Key.
    api_key: str | None = None
    # SQLite file that keeps the civil registry's persons across restarts (None = memory).
    civil_registry_store: str | None = None
    seed_demo_data: bool = True
    # The MOSIP SBI fingerprint simulator next to the registers (None = not started); 4501 is
    # the first port SBI clients probe.
    sbi_port: int | None = None


class Sandbox:
    """The four stand-ins in this process, one server thread per port."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        seed = self.config.seed_demo_data
        self.vouchers = VoucherService(demo_coupons() if seed else ())
        self.fer = FerService(demo_permits(dt.date.today()) if seed else ())
        self.civil_registry = CivilRegistryService(self.config.civil_registry_store)
        self.notifications = NotificationService()
        c = self.config
        self.servers: dict[str, StandInServer] = {
            "voucher": StandInServer("voucher", self.vouchers, c.host, c.voucher_port, c.api_key),
            "fer": StandInServer("fer", self.fer, c.host, c.fer_port, c.api_key),
            "civil-registry": StandInServer("civil-registry", self.civil_registry, c.host,
                                            c.civil_registry_port, c.api_key),
            "notification": StandInServer("notification", self.notifications, c.host,
                                          c.notification_port, c.api_key),
        }

    def start(self) -> Sandbox:
        try:
            for server in self.servers.values():
                server.start()
        except OSError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.civil_registry.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, name: str) -> str:
        return self.servers[name].url

    def urls(self) -> dict[str, str]:
        return {name: server.url for name, server in self.servers.items()}

    def suspend(self, name: str) -> None:
        """Full outage: close the port, so connections are refused, keeping the data."""
        self.servers[name].stop()

    def resume(self, name: str) -> None:
        """End an outage started by `suspend`, on the same port."""
        self.servers[name].start()


def run_sandbox(config: SandboxConfig, out: TextIO | None = None,
                stop: threading.Event | None = None) -> int:
    """Run the stand-ins until SIGTERM/SIGINT (or `stop` is set); print `NAME URL` lines."""
    out = out or sys.stdout
    stop = stop or threading.Event()
    sandbox = Sandbox(config).start()
    scanner = None
    if config.sbi_port is not None:
        from devtools.sbi_simulator.server import SbiSimulator

        try:
            scanner = SbiSimulator(config.host, port=config.sbi_port).start()
        except OSError:
            sandbox.stop()
            raise
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    try:
        for name, url in sandbox.urls().items():
            print(f"{name} {url}", file=out, flush=True)
        if scanner is not None:
            print(f"fingerprint-sbi {scanner.url}", file=out, flush=True)
        while not stop.wait(0.2):
            pass
    finally:
        if scanner is not None:
            scanner.stop()
        sandbox.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0
