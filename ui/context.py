"""What every window of a logged-in desk needs: the service context, the registers' clients,
the language, who is logged in, and the desk's registry of background tasks."""

from __future__ import annotations

from dataclasses import dataclass, field

from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.delivery.registers import Registers
from issuance.incidents import explain
from issuance.ports.devices import DeviceFactory, require_devices
from issuance.security.permissions import Actor
from ui.workers import Jobs


@dataclass
class DeskContext:
    ctx: Context
    registers: Registers
    language: str = "sq"
    actor: Actor | None = None
    # One per desk: every screen starts its background work here, and the idle logout asks
    # it whether the session still has work running.
    jobs: Jobs = field(default_factory=Jobs)

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @property
    def devices(self) -> DeviceFactory:
        """The devices of this desk, built by its entry point (``ui.app``)."""
        return require_devices(self.ctx.devices)

    def message(self, error: BaseException) -> str:
        """An error as a sentence in the operator's language: a refusal's own words, anything
        else what the operator can do plus an incident number that leads to the log."""
        return explain(error).message(self.language)
