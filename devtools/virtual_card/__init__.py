"""A virtual JMRTD-like passport card for pcscd's vpcd driver (tests, demo, benchmarks)."""

from __future__ import annotations

from devtools.virtual_card.applet import MRTD_AID, PassportApplet
from devtools.virtual_card.vpcd import DEFAULT_PORT, VpcdCard

__all__ = ["DEFAULT_PORT", "MRTD_AID", "PassportApplet", "VpcdCard"]
