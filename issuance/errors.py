"""The refusals a clerk can meet, each carrying its message in Albanian and English.

Every kind of refusal is its own subclass so callers can react to it precisely; the UI
only ever shows ``error.message(language)``.
"""

from __future__ import annotations


class IssuanceError(Exception):
    """Base of every refusal that is shown to an operator."""

    def __init__(self, sq: str, en: str) -> None:
        super().__init__(en)
        self.sq = sq
        self.en = en

    def message(self, language: str = "sq") -> str:
        return self.sq if language == "sq" else self.en
