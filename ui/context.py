"""What every window of a logged-in desk needs: the service context, the registers' clients,
the language, and who is logged in."""

from __future__ import annotations

from dataclasses import dataclass

from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.permissions import Actor
from issuance.registers import Registers


@dataclass
class DeskContext:
    ctx: Context
    registers: Registers
    language: str = "sq"
    actor: Actor | None = None

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    def message(self, error: Exception) -> str:
        """An error in the operator's language (refusals carry both)."""
        text = getattr(error, "message", None)
        return text(self.language) if callable(text) else f"{type(error).__name__}: {error}"
