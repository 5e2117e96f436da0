"""Names are stored exactly as the register gives them (NFC); search uses a folded key."""

from __future__ import annotations

import re
import unicodedata

# Letters that do not decompose into a base letter plus a combining mark.
_SPECIAL = str.maketrans(
    {
        "ß": "SS",
        "ẞ": "SS",
        "Æ": "AE",
        "æ": "AE",
        "Œ": "OE",
        "œ": "OE",
        "Ø": "O",
        "ø": "O",
        "Ł": "L",
        "ł": "L",
        "Đ": "D",
        "đ": "D",
        "Ð": "D",
        "ð": "D",
        "Þ": "TH",
        "þ": "TH",
        "Ħ": "H",
        "ħ": "H",
        "ı": "I",
        "Ŋ": "N",
        "ŋ": "N",
    }
)
_SEPARATORS = re.compile(r"[\s\-‐‑'’`.,]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Search key: no diacritics, upper case, one space between parts ("Çela" -> "CELA")."""
    if text.isascii():  # nothing to translate, decompose or drop
        return _SEPARATORS.sub(" ", text).strip().upper()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", bare).strip().upper()
