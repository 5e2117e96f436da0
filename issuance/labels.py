"""What the desk calls a code, in Albanian and English.

Each table of (Albanian, English) names lives beside the codes it names (workflow states,
finger positions, audit actions, permit types...); this is how any of them is read.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

Code = TypeVar("Code", bound=Hashable)


def in_language(
    names: Mapping[Code, tuple[str, str]], code: Code | None, language: str, *, default: str
) -> str:
    """The name of ``code`` in ``language`` (``sq`` or ``en``); ``default`` when unnamed or None."""
    pair = None if code is None else names.get(code)
    return default if pair is None else pair[0 if language == "sq" else 1]
