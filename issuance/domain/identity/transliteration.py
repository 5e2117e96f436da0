"""Names in the MRZ alphabet, after ICAO Doc 9303 part 3 section 6.

Only ``A``–``Z`` and the filler ``<`` may appear in a machine-readable name. Letters with
diacritics lose their mark (``Ë``→``E``, ``Ç``→``C``) except the few that Doc 9303 writes with
two letters (``Ä``→``AE``, ``Ö``→``OE``, ``Ü``→``UE``, ``Å``→``AA``; the table allows the
single-letter forms too, we use the two-letter ones). Cyrillic follows the Doc 9303 table;
Greek is letter by letter (ELOT 743 single letters, without its digraph rules).

Punctuation: apostrophes, commas and full stops are omitted (``D'Artagnan``→``DARTAGNAN``),
spaces, hyphens and dashes become a filler; runs of fillers collapse to one so that a double
filler, which separates surname from given names, can never appear inside one of them. Any
other symbol (``@``, ``(``, digits, …) is refused rather than silently dropped: in a register
name it is a data error that a person should look at.
"""

from __future__ import annotations

import unicodedata

from issuance.errors import IssuanceError

FILLER = "<"
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

# Letters that do not reduce to a base letter by dropping their marks, or that Doc 9303
# writes differently. Keys are upper case, NFC.
_LATIN = {
    "Ä": "AE", "Å": "AA", "Æ": "AE", "Ö": "OE", "Ø": "OE", "Ü": "UE", "Œ": "OE",
    "ẞ": "SS", "Þ": "TH", "Ð": "D", "Đ": "D", "Ħ": "H", "Ĳ": "IJ", "Ŀ": "L", "Ł": "L",
    "Ŋ": "N", "Ŧ": "T", "Ñ": "N", "ĸ": "K",
    # Not in the Doc 9303 table; Azerbaijani passports write it as A (Məmmədov -> MAMMADOV).
    "Ə": "A",
}  # fmt: skip

_CYRILLIC = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Ґ": "G", "Д": "D", "Ђ": "D", "Ѓ": "G",
    "Е": "E", "Ё": "E", "Є": "IE", "Ж": "ZH", "З": "Z", "Ѕ": "DZ", "И": "I", "І": "I",
    "Ї": "I", "Й": "I", "Ј": "J", "К": "K", "Ќ": "K", "Л": "L", "Љ": "LJ", "М": "M",
    "Н": "N", "Њ": "NJ", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "Ћ": "C",
    "У": "U", "Ў": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Џ": "DZ", "Ш": "SH",
    "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA", "Һ": "C",
    "Ѫ": "U",
}  # fmt: skip

_GREEK = {
    "Α": "A", "Β": "V", "Γ": "G", "Δ": "D", "Ε": "E", "Ζ": "Z", "Η": "I", "Θ": "TH",
    "Ι": "I", "Κ": "K", "Λ": "L", "Μ": "M", "Ν": "N", "Ξ": "X", "Ο": "O", "Π": "P",
    "Ρ": "R", "Σ": "S", "Τ": "T", "Υ": "Y", "Φ": "F", "Χ": "CH", "Ψ": "PS", "Ω": "O",
}  # fmt: skip

_TABLE = {**_LATIN, **_CYRILLIC, **_GREEK}

# Typographic apostrophes count as apostrophes: register data is typed on many keyboards.
_OMITTED = frozenset("'`´‘’ʼʻ′,.")


class UntransliterableName(IssuanceError, ValueError):
    """A name holding a character that has no place in the MRZ."""


def to_mrz(name: str) -> str:
    """One name (a surname, or all given names) in the MRZ alphabet.

    Leading and trailing fillers are dropped and inner runs collapse to one; the result may be
    empty (for instance for a name made only of punctuation).
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", name.upper()):
        out.append(_char(char))
    return FILLER.join(part for part in "".join(out).split(FILLER) if part)


def _char(char: str) -> str:
    if char in _ASCII_LETTERS:
        return char
    if char in _TABLE:
        return _TABLE[char]
    category = unicodedata.category(char)
    if char == FILLER or char.isspace() or category == "Pd":
        return FILLER
    if char in _OMITTED:
        return ""
    if category.startswith("M"):
        # A combining mark left over after NFC has nothing to combine with: it only decorates.
        return ""
    if category.startswith("N"):
        raise UntransliterableName(
            f"Emri nuk mund të përmbajë shifra ('{char}').",
            f"A name cannot contain digits ('{char}').",
        )
    if category.startswith("L"):
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base and base != char and all(c in _ASCII_LETTERS or c in _TABLE for c in base):
            return "".join(_char(c) for c in base)
    raise UntransliterableName(
        f"Emri përmban karakterin '{char}' (U+{ord(char):04X}) që nuk mund të shkruhet "
        "në zonën e lexueshme nga makina (MRZ).",
        f"The name contains the character '{char}' (U+{ord(char):04X}), which cannot be "
        "written in the machine-readable zone (MRZ).",
    )
