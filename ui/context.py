"""What every window of a logged-in desk needs: the service context, the registers' clients,
the language, who is logged in, and the desk's registry of background tasks."""

from __future__ import annotations

from dataclasses import dataclass, field

from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.permissions import Actor
from issuance.registers import Registers
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

    def message(self, error: Exception) -> str:
        """An error in the operator's language (refusals carry both)."""
        text = getattr(error, "message", None)
        return text(self.language) if callable(text) else f"{type(error).__name__}: {error}"
