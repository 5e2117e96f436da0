"""What the desk calls a code, in Albanian and English.

Each table of (Albanian, English) names lives beside the codes it names (workflow states,
finger positions, audit actions, permit types...); this is how any of them is read.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping


def in_language(
    names: Mapping[Hashable, tuple[str, str]], code: Hashable, language: str, *, default: str
) -> str:
    """The name of ``code`` in ``language`` (``sq`` or ``en``); ``default`` when unnamed."""
    pair = names.get(code)
    return default if pair is None else pair[0 if language == "sq" else 1]
