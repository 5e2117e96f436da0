"""What the desk calls a code, in Albanian and English.

Each table of (Albanian, English) names lives beside the codes it names (workflow states,
finger positions, audit actions, permit types...); this is how any of them is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from typing import TypeVar

Code = TypeVar("Code", bound=Hashable)


def in_language(
    names: Mapping[Code, tuple[str, str]], code: Code | None, language: str, *, default: str
) -> str:
    """The name of ``code`` in ``language`` (``sq`` or ``en``); ``default`` when unnamed or None."""
    pair = None if code is None else names.get(code)
    return default if pair is None else pair[0 if language == "sq" else 1]


# One way to write a date on every screen and document: day.month.year (dd.mm.yyyy).
DATE_FORMAT = "%d.%m.%Y"


def format_date(value: dt.date | None, *, default: str = "—") -> str:
    """``value`` as dd.mm.yyyy (a datetime prints its date only); ``default`` when None."""
    return default if value is None else value.strftime(DATE_FORMAT)


def in_lek(amount: int, language: str) -> str:
    """An amount of Albanian lek as written in ``language``: "6000 lekë" (Albanian plural, the
    Bank of Albania's spelling) or "6000 lek" (English keeps the currency's name unchanged)."""
    return f"{amount} {'lekë' if language == 'sq' else 'lek'}"
