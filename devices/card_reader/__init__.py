"""Smart-card readers/encoders: personalise chips and read them back, over PC/SC or simulated."""

from __future__ import annotations

__all__ = [
]
